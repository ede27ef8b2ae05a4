#include "pipeline/report_job.h"

#include <fmt/format.h>

#include "io/input_stream.h"
#include "io/output_file.h"
#include "pipeline/progress.h"
#include "score/score_file.h"

namespace botd {
namespace {

std::optional<std::string> quality_gate(const HostReport& report, double fail_under) {
  std::optional<std::string> failure;
  for (const auto& [model, metrics] : report.metrics)
    if (metrics.f1 < fail_under)
      failure = fmt::format("F1 {:.4f} of model {} is below --fail-under {}", metrics.f1, model, fail_under);
  if (report.metrics.empty()) failure = "no host of the truth file was seen: nothing to measure";
  return failure;
}

void add_summary(const HostReport& report, RunStats& stats) {
  uint64_t red = 0;
  for (const HostSummary& host : report.hosts) red += host.status == HostStatus::red;
  stats.add_measure("hosts_ranked", "hosts ranked", uint64_t(report.hosts_total));
  stats.add_measure("hosts_red_now", "red now", red);
  for (const auto& [model, m] : report.metrics)
    stats.notes.push_back(fmt::format(
        "{}: F1 {:.4f}, TPR {:.4f}, FPR {:.4f}, precision {:.4f} over {} windows; hosts: {} of {} infected "
        "detected, {} of {} normal flagged",
        model, m.f1, m.tpr, m.fpr, m.precision, m.windows, m.infected_detected, m.infected_hosts, m.normal_detected,
        m.normal_hosts));
}

// The report of what was read: written, summed up, and gated.
ReportResult finish_report(const ReportOptions& options, ReportBuilder& builder, OutputFile& out,
                           ReportResult result) {
  result.report = builder.finish();
  write_report(out, options.format, result.report);
  out.commit();
  add_summary(result.report, result.stats);
  if (options.fail_under) result.gate_failure = quality_gate(result.report, *options.fail_under);
  return result;
}

// The report of a live capture: rewritten whole after each window (a file), then at the end.
ReportResult run_live_report(const ReportOptions& options, ReportBuilder& builder, Progress& progress) {
  ReportResult result;
  result.stats.command = "report";
  std::optional<OutputFile> out(std::in_place, options.output);  // a bad output fails now
  const bool rewritten = !out->streaming();
  if (rewritten) out.reset();  // a new file for each window's report
  const auto window_done = [&](const Window&) {
    if (!rewritten) return;
    OutputFile page(options.output);
    write_report(page, options.format, builder.report_so_far());
    page.commit();
  };
  score_hosts(options.score, nullptr, [&](const ScoreRow& row) { builder.add(row); }, progress, result.stats,
              window_done);
  if (!out) out.emplace(options.output);
  return finish_report(options, builder, *out, std::move(result));
}

}  // namespace

ReportResult run_report(const ReportOptions& options, Progress& progress) {
  std::optional<Truth> truth;
  if (!options.truth_file.empty()) truth = Truth::read(options.truth_file);
  ReportBuilder::Options build;
  build.top = options.top;
  build.truth = truth ? &*truth : nullptr;
  build.alpha = options.alpha;
  if (options.score.live.enabled()) {
    ReportBuilder builder("interface " + options.score.live.interface, build);
    return run_live_report(options, builder, progress);
  }
  const std::vector<std::string>& inputs = options.score.inputs;
  const std::string& first = inputs.at(0);
  // Several captures are named by the first in name order: the same report whatever the order given.
  ReportBuilder builder(inputs.size() > 1 ? fmt::format("{} and {} more captures",
                                                        *std::min_element(inputs.begin(), inputs.end()),
                                                        inputs.size() - 1)
                        : first == "-"    ? "stdin"
                                          : first,
                        build);

  ReportResult result;
  result.stats.command = "report";
  OutputFile out(options.output);  // a bad output fails now, not after the scoring
  if (inputs.size() > 1) {  // several captures, read as one
    score_hosts(options.score, nullptr, [&](const ScoreRow& row) { builder.add(row); }, progress, result.stats);
    return finish_report(options, builder, out, std::move(result));
  }
  std::unique_ptr<InputStream> input = InputStream::open(first);
  const std::string_view head(reinterpret_cast<const char*>(input->head().data()), input->head().size());
  if (looks_like_score_file(head)) {
    ScoreFileReader reader(std::move(input));
    ScoreRow row;
    uint64_t rows = 0;
    while (reader.next(row)) {
      builder.add(row);
      ++rows;
    }
    result.stats.add_measure("score_rows", "score rows read", rows);
  } else {
    score_hosts(
        options.score, std::move(input), [&](const ScoreRow& row) { builder.add(row); }, progress, result.stats);
  }
  return finish_report(options, builder, out, std::move(result));
}

}  // namespace botd
