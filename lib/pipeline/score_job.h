// The `score` job (SPEC §5–§6). With --per-flow: every flow of the input with its
// probability under each model (prob_<model>) and whether it is flagged at the model's
// threshold (flag_<model>: 1 or 0) — the prediction path host scores are built on.
// Throws Error on bad input, on models that cannot be loaded, or on unwritable output.
#pragma once

#include <string>

#include "io/flow_file_reader.h"
#include "io/flow_writer.h"
#include "pipeline/model_choice.h"
#include "window/window_clock.h"

namespace botd {

class Progress;

struct ScoreOptions {
  std::string input;
  std::string output = "-";
  WindowSpec windows;
  FlowFileOptions flow_file;
  ModelChoice models;
  FlowFormat format = FlowFormat::csv;
  TimeStyle time_style = TimeStyle::ctu13;
  int threads = 0;
};

struct ScoreSummary {
  uint64_t flows = 0, flagged = 0, windows = 0;
  std::string line() const;
};

ScoreSummary run_score_per_flow(const ScoreOptions& options, Progress& progress);

}  // namespace botd
