// botd report INPUT: the LAN hosts ranked, with evidence, as CSV, JSON or HTML; with --truth,
// detection metrics, and with --fail-under a quality gate (exit 3).
#include <spdlog/spdlog.h>

#include "commands.h"
#include "core/error.h"
#include "pipeline/progress.h"
#include "pipeline/report_job.h"

namespace botd::cmd {

Subcommand add_report_command(CLI::App& app, const GlobalOptions& global) {
  struct Config {
    ScoringOptionsConfig scoring;
    ReportOptions report;
    std::string format = "csv";
    double fail_under = -1;
  };
  auto config = std::make_shared<Config>();
  CLI::App* command = app.add_subcommand("report", "Rank the LAN hosts most likely infected, with the evidence");
  ReportOptions& report = config->report;
  command->add_option("input", config->scoring.score.input, "capture, flow file, botd score output, or - for standard input")
      ->required();
  command->add_option("-o,--output", report.output, "output file; - for standard output")->default_str("-");
  command->add_option("--format", config->format, "csv, json, or html (one self-contained page)")
      ->check(CLI::IsMember({"csv", "json", "html"}))
      ->default_str("csv");
  command->add_option("--top", report.top, "only the first N hosts of each model; 0 = all")->default_val(0);
  command->add_option("--truth", report.truth_file,
                      "infected hosts (lines IP or IP START END) or a labeled flow file: adds detection metrics");
  command->add_option("--alpha", report.alpha, "alpha of the time-based metric's weight e^(-alpha t) + 1")
      ->default_val(0.01)
      ->check(CLI::NonNegativeNumber);
  auto* fail_under = command->add_option("--fail-under", config->fail_under,
                                         "exit 3 when a model's F1 (time-based) is below this; needs --truth")
                         ->check(CLI::Range(0.0, 1.0));
  fail_under->needs(command->get_option("--truth"));
  add_scoring_options(*command, config->scoring);

  return {command, [config, &global] {
    config->scoring.resolve();
    ReportOptions& options = config->report;
    options.score = config->scoring.score;
    options.format = config->format == "json" ? ReportFormat::json
                     : config->format == "html" ? ReportFormat::html
                                                : ReportFormat::csv;
    if (config->fail_under >= 0) options.fail_under = config->fail_under;
    Progress progress("report", !global.quiet);
    const ReportSummary summary = run_report(options, progress);
    const HostReport& r = summary.report;
    size_t red = 0;
    for (const HostSummary& host : r.hosts) red += host.status == HostStatus::red;
    spdlog::info("report: {} hosts ranked, {} red now", r.hosts_total, red);
    for (const auto& [model, m] : r.metrics)
      spdlog::info("report: {}: F1 {:.4f}, TPR {:.4f}, FPR {:.4f}, precision {:.4f} over {} windows; hosts: {} of {} "
                   "infected detected, {} of {} normal flagged",
                   model, m.f1, m.tpr, m.fpr, m.precision, m.windows, m.infected_detected, m.infected_hosts,
                   m.normal_detected, m.normal_hosts);
    if (summary.gate_failed) throw QualityGateFailed(summary.gate_message);
  }};
}

}  // namespace botd::cmd
