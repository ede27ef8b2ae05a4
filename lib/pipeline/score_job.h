// The `score` job (SPEC §5–§6): flows of any input, window by window, through every chosen
// model.
//
// score_hosts(): for each window, model and LAN host, one ScoreRow (score/host_scores.h),
// handed to `on_row` in window order, then model order, then host address order.
// run_score(): those rows to a score file (CSV or JSON lines, io/score_file.h).
// run_score_per_flow(): every flow with its probability under each model (prob_<model>) and
// whether it is flagged at the model's threshold (flag_<model>: 1 or 0).
//
// Throws Error on bad input, on models that cannot be loaded, or on unwritable output.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "io/flow_file_reader.h"
#include "io/flow_writer.h"
#include "io/score_file.h"
#include "pipeline/model_choice.h"
#include "score/score_row.h"
#include "window/window_clock.h"

namespace botd {

class InputStream;
class Progress;

struct ScoreOptions {
  std::string input;
  std::string output = "-";
  WindowSpec windows;
  FlowFileOptions flow_file;
  ModelChoice models;
  std::string lan;                 // --lan; empty: the default networks
  std::string policy = "botd";     // --policy
  ScoreFormat format = ScoreFormat::csv;
  FlowFormat per_flow_format = FlowFormat::csv;
  TimeStyle time_style = TimeStyle::ctu13;
  int threads = 0;
};

struct ScoreSummary {
  uint64_t flows = 0, flagged = 0, windows = 0, rows = 0, hosts_red = 0;
  std::string line() const;
};

// `input`: options.input, already open (null: open it).
ScoreSummary score_hosts(const ScoreOptions& options, std::unique_ptr<InputStream> input,
                         const std::function<void(const ScoreRow&)>& on_row, Progress& progress);
ScoreSummary run_score(const ScoreOptions& options, Progress& progress);
ScoreSummary run_score_per_flow(const ScoreOptions& options, Progress& progress);

}  // namespace botd
