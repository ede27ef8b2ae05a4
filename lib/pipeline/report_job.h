// The `report` job (SPEC §6, §8): ranked hosts from a capture, a flow file or score files.
//
// Score files (recognised by their header, score/score_file.h), one or several (sensors,
// time shards, or one file holding many captures' rows), are merged into one timeline whose
// scores and statuses are recomputed with the --policy (score/score_merge.h); from one file
// made with the same policy that is the file's own. Any other input is scored first, in the
// same process, exactly as `botd score` would (pipeline/score_job.h), so that
// `botd flows X | botd score - | botd report -` and `botd report X` agree. Several captures
// are read as one; a mix of captures and score files is refused.
//
// With ReportOptions::score.live (`botd report -i eth0`), packets come from an interface and,
// after every window that closes, the report so far is written whole to a new temporary file
// and renamed over the output (`-o report.html` stays a page a browser can reload); a stream
// output (stdout, a pipe) gets the report once, at the end. The run ends when the capture is
// stopped (io/interrupt.h), with the windows still open and the final report.
//
// Returns what was read and ranked (measures hosts_ranked, hosts_red_now; the metrics per model
// as notes). Throws Error on bad input or unwritable output; a failed quality gate
// (--fail-under) is the RunStats' gate_failure, which the binary turns into exit status 3.
#pragma once

#include <optional>
#include <string>

#include "pipeline/run_stats.h"
#include "pipeline/score_job.h"
#include "report/detection_metrics.h"
#include "report/host_report.h"
#include "report/report_writer.h"

namespace botd {

class Progress;

struct ReportOptions {
  ScoreOptions score;  // input, windows, models, lan, policy (when the input is not scores)
  std::string output = "-";
  ReportFormat format = ReportFormat::csv;
  size_t top = 0;
  std::string truth_file;             // --truth
  double alpha = kDefaultMetricAlpha;  // --alpha, of the time-based metric
  std::optional<double> fail_under;   // --fail-under F1
};

struct ReportResult {
  RunStats stats;
  HostReport report;
  std::optional<std::string> gate_failure;  // "F1 0.8123 of model X is below --fail-under 0.9"
};

ReportResult run_report(const ReportOptions& options, Progress& progress);

}  // namespace botd
