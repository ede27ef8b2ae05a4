// Training a botd model with XGBoost (SPEC §5): gradient-boosted trees on labeled flows.
//
// The rows of each group (input file) are ordered by time (a flow's start; stable, so equal
// times keep their order); the LAST validation_share of each group (rounded to the nearest
// row) is held out, never random rows, so that flows of one connection or one burst do not
// land on both sides, and every input is tested on. XGBoost ("hist" trees, binary:logistic)
// trains on the rest, one round at a time; after each round the validation AUC is computed
// exactly from the predictions (ties count one half), and training stops once
// early_stopping_rounds rounds in a row have not raised it. The patience is long (50) on
// purpose: on scenario 6 the AUC stays flat at 0.73 for about 45 rounds at eta 0.1 before
// the tree that separates its late normal DNS burst lifts it to 0.99. The model keeps the
// trees up to the best round only. The decision threshold is the one with the
// highest F1 on the validation predictions of that model (model/classifier_metrics.h).
// With validation_share 0 there is no held-out part: all rounds train, and the threshold is
// chosen on the training rows (optimistic; the metadata says "part": "training").
//
// Class imbalance: scale_pos_weight = negatives / positives of the training part, unless
// --param scale_pos_weight=... sets it. Extra parameters (--param KEY=VALUE) are passed to
// XGBoost after botd's own and override them; a key XGBoost does not know, a value it
// rejects, or an objective other than binary:logistic is an Error.
//
// Determinism: nothing depends on the clock, the thread schedule or unordered containers;
// the seed is fixed (--seed; it drives the column sampling botd trains with by default,
// colsample_bynode = sqrt(n)/n as a random forest's max_features, and any subsample
// parameter); the split is a stable sort; the AUC and threshold are exact. XGBoost 1.7's hist gives each thread a fixed
// share of the row blocks and adds the per-thread histograms in thread order, so the same
// input, options and XGBoost version give the same model bytes. The thread count changes
// how the double-precision sums are grouped; in our measurements (1, 2 and 4 threads; 5k,
// 100k and 500k rows; with and without row/column subsampling) the files were identical,
// but XGBoost does not promise it, so --threads is the knob to pin if a file ever differs.
//
// Errors (Error, one line, with what to do): no rows, no positive or no negative labels,
// labels other than 0/1, a training or validation part without both classes, features that
// are not botd's, bad options or parameters.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "features/feature_set.h"
#include "model/model.h"
#include "model/model_metadata.h"

namespace botd {

struct TrainingSet {
  std::string feature_set = std::string(kFeatureSetName);  // or kHostFeatureSetName
  FeatureMatrix features;      // names of that feature set (any order)
  std::vector<float> labels;   // one per row: 1 botnet, 0 normal
  std::vector<int64_t> time_ns;  // one per row: the flow's start, for the validation split
  std::vector<uint32_t> group;   // one per row (or none): the input it came from
  std::vector<float> weight;     // one per row (or none: all 1): how much the row counts in training
};

struct TrainOptions {
  int rounds = 300;                // boosting rounds at most
  int max_depth = 6;
  double eta = 0.1;                // learning rate
  int threads = 0;                 // 0 = all cores (one for fewer than 20,000 rows: train.cc)
  uint64_t seed = 0;
  double validation_share = 0.2;   // the last share of rows by time; 0 = no validation part
  int early_stopping_rounds = 50;  // 0 = never stop early
  std::vector<std::pair<std::string, std::string>> params;  // extra XGBoost parameters
  // Called after each round (0-based) with the validation AUC (NaN without validation).
  std::function<void(int round, double validation_auc)> progress;
};

struct TrainingReport {
  uint64_t training_rows = 0, training_positives = 0;
  uint64_t validation_rows = 0, validation_positives = 0;
  double scale_pos_weight = 1;
  int rounds_boosted = 0;  // before keeping the best
  bool stopped_early = false;
  std::vector<double> validation_auc;  // per round boosted
  ValidationMetrics metrics;           // also in the model's metadata
};

// "KEY=VALUE" -> {KEY, VALUE}; throws Error on text without '=' or with an empty key.
std::pair<std::string, std::string> parse_param(std::string_view key_equals_value);

// Trains a model. `metadata` brings what training cannot know (window, step, inputs); train()
// fills in the feature set and names, threshold, row counts, validation metrics and version.
Model train(const TrainingSet& set, const TrainOptions& options, ModelMetadata metadata, TrainingReport& report);

}  // namespace botd
