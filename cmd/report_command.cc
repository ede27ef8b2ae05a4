// botd report INPUT: the LAN hosts ranked, with evidence, as CSV, JSON or HTML; with --truth,
// detection metrics, and with --fail-under a quality gate (exit 3).
#include "commands.h"
#include "pipeline/progress.h"
#include "pipeline/report_job.h"

namespace botd::cmd {

Subcommand add_report_command(CLI::App& app, const GlobalOptions& global) {
  struct Config {
    ScoringOptionsConfig scoring;
    ReportOptions report;
    std::string format = "csv";
    double fail_under = -1;
    std::string stats_path;
  };
  auto config = std::make_shared<Config>();
  CLI::App* command = app.add_subcommand("report", "Rank the LAN hosts most likely infected, with the evidence");
  ReportOptions& report = config->report;
  CLI::Option* input = command->add_option("input", config->scoring.score.inputs,
                      "capture, flow file (binetflow, ra CSV, Zeek conn.log), botd score output, or - for standard "
                      "input; several captures (rotated files) are read as one, in time order; several score "
                      "files (sensors, time shards) are merged into one report");
  command->add_option("-o,--output", report.output, "output file; - for standard output")->default_str(report.output);
  add_format_option(*command, config->format, {"csv", "json", "html"}, "csv, json, or html (one self-contained page)");
  command->add_option("--top", report.top, "only the first N hosts of each model; 0 = all")->default_val(report.top);
  command->add_option("--truth", report.truth_file,
                      "infected hosts (lines IP or IP START END) or a labeled flow file: adds detection metrics");
  command->add_option("--alpha", report.alpha, "alpha of the time-based metric's weight e^(-alpha t) + 1")
      ->default_val(report.alpha)
      ->check(CLI::NonNegativeNumber);
  command->add_option("--fail-under", config->fail_under, "exit 3 when a model's F1 (time-based) is below this; needs --truth")
      ->check(CLI::Range(0.0, 1.0))
      ->needs(command->get_option("--truth"));
  add_scoring_options(*command, config->scoring, input);
  add_stats_option(*command, config->stats_path);

  return {command, [config, &global] {
    config->scoring.resolve();
    prepare_run(config->stats_path);
    ReportOptions& options = config->report;
    options.score = config->scoring.score;
    options.format = config->format == "json" ? ReportFormat::json
                     : config->format == "html" ? ReportFormat::html
                                                : ReportFormat::csv;
    if (config->fail_under >= 0) options.fail_under = config->fail_under;
    // A live capture has no end to show progress towards, and its rows may share the terminal.
    Progress progress("report", !global.quiet && !options.score.live.enabled());
    const ReportResult result = run_report(options, progress);
    finish_run(result.stats, config->stats_path);
    if (result.gate_failure) throw QualityGateFailed(*result.gate_failure);
  }};
}

}  // namespace botd::cmd
