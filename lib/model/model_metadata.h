// What botd records about a model, stored inside the model file as XGBoost attributes.
//
// Every value is a string attribute named "botd.<field>", so that any XGBoost (Python, Spark)
// that loads the JSON file keeps it and shows it (Booster.attributes()):
//
//   botd.feature_set  "botd-flow-v1"                               required
//   botd.threshold    decision threshold, "0.4213": a flow is      required
//                     flagged when its probability is >= it
//   botd.features     JSON list of the feature names, in the model's column order; also set
//                     as XGBoost's own feature_names (Python's Booster.feature_names). On
//                     load, either one is enough; when both are present they must agree.
//   botd.window       window length in seconds, "300"  ("0" or absent: not recorded)
//   botd.step         window step in seconds, "150"    ("0" or absent: not recorded)
//   botd.inputs       JSON list of {"name", "bytes", "sha256"}: the training inputs
//   botd.rows         labeled rows trained on (training + validation parts)
//   botd.positives    of which botnet (label 1)
//   botd.negatives    of which normal (label 0)
//   botd.validation   JSON {"rows", "positives", "auc", "f1", "precision", "recall",
//                     "threshold", "best_iteration", "part"}: the metrics at the threshold,
//                     measured on the held-out part ("part": "validation"), or on the training
//                     rows when there is none ("part": "training", optimistic)
//   botd.version      the botd version that trained the model
//   botd.host_model   optional: the whole XGBoost JSON of the host-window model trained with
//                     this flow model (feature set botd-host-v2, its own botd.* attributes;
//                     model/model.h, docs/detection.md), so that the pair stays one file
//
// Nothing here depends on the time or the machine: the same training gives the same bytes.
// A model trained elsewhere needs XGBoost feature_names plus botd.feature_set and
// botd.threshold, e.g. in Python:
//   booster.set_attr(**{"botd.feature_set": "botd-flow-v1", "botd.threshold": "0.5"})
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace botd {

// One file the training read, recorded by name (not its directory, so that the same data
// trained from another folder gives the same model), size and SHA-256 (lower-case hex).
struct TrainingInput {
  std::string name;
  uint64_t bytes = 0;
  std::string sha256;

  bool operator==(const TrainingInput&) const = default;
};

// Metrics at the decision threshold (see botd.validation above).
struct ValidationMetrics {
  uint64_t rows = 0;
  uint64_t positives = 0;
  double auc = 0, f1 = 0, precision = 0, recall = 0;
  float threshold = 0.5f;
  int best_iteration = 0;       // 0-based round whose model was kept
  std::string part = "validation";  // "validation" or "training"

  bool operator==(const ValidationMetrics&) const = default;
};

struct ModelMetadata {
  std::string feature_set;
  std::vector<std::string> feature_names;
  int64_t window_ns = 0;  // 0: not recorded
  int64_t step_ns = 0;
  float threshold = 0.5f;
  std::vector<TrainingInput> inputs;
  uint64_t rows = 0, positives = 0, negatives = 0;
  std::optional<ValidationMetrics> validation;
  std::string version;  // botd's

  bool operator==(const ModelMetadata&) const = default;
};

// The botd.* attributes for `metadata` (botd.features included), in a fixed order.
std::map<std::string, std::string> metadata_attributes(const ModelMetadata& metadata);

// Reads the botd.* attributes back. `xgboost_feature_names` are XGBoost's own (may be empty).
// Throws Error (without a file name: the caller adds it) when botd.feature_set or
// botd.threshold is missing, when there are no feature names, or when a value is malformed.
ModelMetadata metadata_from_attributes(const std::map<std::string, std::string>& attributes,
                                       const std::vector<std::string>& xgboost_feature_names);

// The threshold as botd writes it: the shortest text that reads back as the same float.
std::string format_threshold(float threshold);

}  // namespace botd
