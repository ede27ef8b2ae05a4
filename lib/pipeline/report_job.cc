#include "pipeline/report_job.h"

#include <algorithm>
#include <functional>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "core/error.h"
#include "io/input_stream.h"
#include "io/output_file.h"
#include "pipeline/progress.h"
#include "score/score_file.h"
#include "score/score_merge.h"

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

bool is_score_file(const InputStream& input) {
  return looks_like_score_file(
      std::string_view(reinterpret_cast<const char*>(input.head().data()), input.head().size()));
}

// Several inputs are either captures, read as one (capture/packet_source.h, which refuses a
// capture given twice), or score files, merged: a mix is refused.
void check_one_kind(const std::vector<std::string>& inputs, bool first_is_scores) {
  std::set<std::string_view> seen;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (i > 0 && is_score_file(*InputStream::open(inputs[i])) != first_is_scores)
      fail("{}: {}, but {} {}: botd report merges several score files, or reads several captures as one, not a mix",
           inputs[i], first_is_scores ? "not a score file" : "a score file", inputs[0],
           first_is_scores ? "is one" : "is not");
    if (first_is_scores && !seen.insert(inputs[i]).second)
      fail("{}: given twice: its rows would count twice", inputs[i]);
  }
}

// Score files, one or several (sensors, time shards), merged into one timeline
// (score/score_merge.h) and handed to `on_row` in the order ReportBuilder takes.
void merge_score_files(const ReportOptions& options, std::unique_ptr<InputStream> first,
                       const std::function<void(const ScoreRow&)>& on_row, RunStats& stats) {
  ScoreMerger merger(ScorePolicy::named(options.score.policy), options.score.windows);
  const std::vector<std::string>& inputs = options.score.inputs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    ScoreFileReader reader(i == 0 ? std::move(first) : InputStream::open(inputs[i]));
    ScoreRow row;
    while (reader.next(row)) merger.add(row, reader.name());
  }
  const uint64_t rows_read = merger.rows_read();
  const std::vector<ScoreRow> rows = merger.finish();
  for (const ScoreRow& row : rows) on_row(row);
  stats.add_measure("score_rows", "score rows read", rows_read);
  if (inputs.size() > 1)
    stats.add_measure("score_rows_merged", "host-window rows after merging", uint64_t(rows.size()));
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
  if (inputs.size() > 1 && std::find(inputs.begin(), inputs.end(), "-") != inputs.end())
    fail("stdin cannot be one of several inputs: give the captures or score files by name");
  std::unique_ptr<InputStream> input = InputStream::open(inputs.at(0));
  const bool scores = is_score_file(*input);
  check_one_kind(inputs, scores);
  // Several inputs are named by the first in name order: the same report whatever the order given.
  const std::string& first_by_name = *std::min_element(inputs.begin(), inputs.end());
  ReportBuilder builder(inputs.size() > 1 ? fmt::format("{} and {} more {}", first_by_name, inputs.size() - 1,
                                                        scores ? "score files" : "captures")
                        : inputs[0] == "-" ? "stdin"
                                           : inputs[0],
                        build);

  ReportResult result;
  result.stats.command = "report";
  OutputFile out(options.output);  // a bad output fails now, not after the scoring
  const auto add_row = [&](const ScoreRow& row) { builder.add(row); };
  if (scores) {
    merge_score_files(options, std::move(input), add_row, result.stats);
  } else if (inputs.size() > 1) {  // several captures, read as one
    input.reset();
    score_hosts(options.score, nullptr, add_row, progress, result.stats);
  } else {
    score_hosts(options.score, std::move(input), add_row, progress, result.stats);
  }
  return finish_report(options, builder, out, std::move(result));
}

}  // namespace botd
