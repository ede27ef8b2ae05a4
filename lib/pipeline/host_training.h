// Training the host-window stage (docs/detection.md "The host-window model"): after the flow
// model, one row per labeled host and window — its behaviour and the flow model's verdicts on
// its flows (features/host_window.h) — and an XGBoost model over them, trained like the flow
// model (model/train.h), that `botd score` turns into the host's risk.
//
// The flow verdicts a host-window row sees must be those of a flow model that did not learn
// that row's flows: on its own training flows a model is sure, and a host model trained on
// such certainties learns to trust the flow model alone and never what a host does. So the
// rows are cross-fitted: the labeled rows are cut in two folds (alternate inputs with botnet
// flows, alternate inputs without; with one input with botnet flows, the first and second
// half of each input by time), a flow model is trained on each fold with the final model's
// rounds, and each window is scored by the model of the other fold.
//
// A host-window's label: botnet if the host is the source of a flow labeled botnet in the
// window, normal if of flows labeled normal only; windows where it started no labeled flow
// are left out. With --background sample:R, a host whose flows are background is normal in
// every window (not in a sample of them: host_training.cc says why).
#pragma once

#include <optional>
#include <string>

#include "model/model.h"
#include "model/train.h"
#include "pipeline/run_stats.h"

namespace botd {

class Progress;
struct TrainJobOptions;

// The host-window model, or nullopt (with a warning in `stats` saying why) when its rows do
// not allow one (too few, one class only). `flow_set`: the flow model's training rows.
std::optional<Model> train_host_model(const TrainJobOptions& options, const TrainingSet& flow_set,
                                      const Model& flow_model, Progress& progress, RunStats& stats);

}  // namespace botd
