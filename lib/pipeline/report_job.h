// The `report` job (SPEC §6): ranked hosts from a capture, a flow file or a score file.
//
// A score file (recognised by its header, score/score_file.h) is read as it is; any other
// input is scored first, in the same process, exactly as `botd score` would
// (pipeline/score_job.h), so that `botd flows X | botd score - | botd report -` and
// `botd report X` agree.
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
