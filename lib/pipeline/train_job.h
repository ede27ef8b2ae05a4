// The `train` job (SPEC §5): labeled flows from any inputs (flow files with CTU-13 labels, or
// captures and flow files with a label source) -> features per window -> an XGBoost model
// file with botd's metadata. Flows without a label (background by default) are left out.
// With overlapping windows, each labeled flow is one row (see train_job.cc).
// Throws Error on bad input (see model/train.h for the training errors).
#pragma once

#include <string>
#include <vector>

#include "features/labels.h"
#include "flow/flow_file_reader.h"
#include "model/train.h"
#include "pipeline/run_stats.h"
#include "window/window_clock.h"

namespace botd {

class Progress;

struct TrainJobOptions {
  std::vector<std::string> inputs;
  std::string output;
  WindowSpec windows;
  FlowFileOptions flow_file;
  LabelOptions labels;
  TrainOptions train;
  // Leave out the extended argus fields (ext_*): for inputs of which only some have them
  // (CTU-13 files do not; captures and some Stratosphere files do), where their mere presence
  // would tell the model which input a flow came from instead of what it did.
  bool without_extended = false;
  // Leave out these features (names of feature_names()): those some inputs cannot have, such
  // as the TOS bytes a Zeek log does not record.
  std::vector<std::string> without_features;
  // The LAN's networks (--lan): which peers and resolvers are outside, for the host-window
  // features. "" = the default networks.
  std::string lan;
  // Also train a host-window model (pipeline/host_training.h) and keep it in the model file.
  // Off by default: on the shared data it does not yet detect more left-out families than the
  // flow model alone (docs/detection.md, "The host-window model").
  bool host_model = false;
};

// Returns what was read (over all inputs) and what training made: measures labeled_rows,
// botnet_rows, normal_rows, rounds_kept, rounds_boosted, validation_auc, validation_f1,
// threshold, and a note with the validation metrics in words.
RunStats run_train(const TrainJobOptions& options, Progress& progress);

}  // namespace botd
