#include "pipeline/report_job.h"

#include <fmt/format.h>

#include "io/input_stream.h"
#include "io/output_file.h"
#include "io/score_file.h"
#include "pipeline/progress.h"

namespace botd {

ReportSummary run_report(const ReportOptions& options, Progress& progress) {
  std::optional<Truth> truth;
  if (!options.truth_file.empty()) truth = Truth::read(options.truth_file);
  ReportBuilder::Options build;
  build.top = options.top;
  build.truth = truth ? &*truth : nullptr;
  build.alpha = options.alpha;
  ReportBuilder builder(options.score.input == "-" ? "stdin" : options.score.input, build);

  ReportSummary summary;
  std::unique_ptr<InputStream> input = InputStream::open(options.score.input);
  const std::string_view head(reinterpret_cast<const char*>(input->head().data()), input->head().size());
  if (looks_like_score_file(head)) {
    summary.from_scores = true;
    ScoreFileReader reader(std::move(input));
    ScoreRow row;
    while (reader.next(row)) builder.add(row);
  } else {
    score_hosts(options.score, std::move(input), [&](const ScoreRow& row) { builder.add(row); }, progress);
  }
  summary.report = builder.finish();

  OutputFile out(options.output);
  write_report(out, options.format, summary.report);
  out.commit();

  if (options.fail_under) {
    for (const auto& [model, metrics] : summary.report.metrics)
      if (metrics.f1 < *options.fail_under) {
        summary.gate_failed = true;
        summary.gate_message = fmt::format("F1 {:.4f} of model {} is below --fail-under {}", metrics.f1, model,
                                           *options.fail_under);
      }
    if (summary.report.metrics.empty()) {
      summary.gate_failed = true;
      summary.gate_message = "no host of the truth file was seen: nothing to measure";
    }
  }
  return summary;
}

}  // namespace botd
