// The `report` job (SPEC §6): ranked hosts from a capture, a flow file or a score file.
//
// A score file (recognised by its header, io/score_file.h) is read as it is; any other input
// is scored first, in the same process, exactly as `botd score` would (pipeline/score_job.h),
// so that `botd flows X | botd score - | botd report -` and `botd report X` agree.
//
// Throws Error on bad input or unwritable output. The caller turns a failed quality gate
// (ReportSummary::gate_failed) into exit status 3.
#pragma once

#include <optional>
#include <string>

#include "pipeline/score_job.h"
#include "report/host_report.h"
#include "report/report_writer.h"

namespace botd {

class Progress;

struct ReportOptions {
  ScoreOptions score;  // input, windows, models, lan, policy (when the input is not scores)
  std::string output = "-";
  ReportFormat format = ReportFormat::csv;
  size_t top = 0;
  std::string truth_file;           // --truth
  double alpha = 0.01;              // --alpha, of the time-based metric
  std::optional<double> fail_under;  // --fail-under F1
};

struct ReportSummary {
  HostReport report;  // without timelines' memory concerns: reports are small
  bool from_scores = false;
  bool gate_failed = false;
  std::string gate_message;  // "F1 0.8123 of model X is below --fail-under 0.9"
};

ReportSummary run_report(const ReportOptions& options, Progress& progress);

}  // namespace botd
