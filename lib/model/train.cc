#include "model/train.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <span>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "features/host_window.h"
#include "model/classifier_metrics.h"
#include "model/xgboost_api.h"

namespace botd {
namespace {

using nlohmann::json;

// ---- Checking the input

struct LabelCounts {
  uint64_t positives = 0, negatives = 0;
};

LabelCounts count_labels(std::span<const float> labels) {
  LabelCounts counts;
  for (size_t row = 0; row < labels.size(); ++row) {
    if (labels[row] == 1.0f)
      ++counts.positives;
    else if (labels[row] == 0.0f)
      ++counts.negatives;
    else
      fail("label {} at row {} is not 0 (normal) or 1 (botnet)", labels[row], row);
  }
  return counts;
}

void check_options(const TrainOptions& options) {
  if (options.rounds < 1) fail("--rounds must be at least 1, not {}", options.rounds);
  if (!(options.validation_share >= 0 && options.validation_share < 1))
    fail("--validation must be a share from 0 to below 1, not {}", options.validation_share);
  if (options.early_stopping_rounds < 0)
    fail("--early-stopping must be 0 (off) or more rounds, not {}", options.early_stopping_rounds);
}

LabelCounts check_set(const TrainingSet& set) {
  const size_t rows = set.features.rows();
  if (rows == 0) fail("no labeled rows to train on");
  if (set.features.values.size() != rows * set.features.columns() || set.labels.size() != rows ||
      set.time_ns.size() != rows || (!set.group.empty() && set.group.size() != rows) ||
      (!set.weight.empty() && set.weight.size() != rows))
    fail("training set is inconsistent: {} rows of features, {} labels, {} times", rows, set.labels.size(),
         set.time_ns.size());
  const std::vector<std::string>* names = feature_names_of_set(set.feature_set);
  if (names == nullptr) fail("cannot train on feature set {}: botd computes {} and {}", set.feature_set,
                             kFeatureSetName, kHostFeatureSetName);
  const std::set<std::string> known(names->begin(), names->end());
  for (const std::string& name : set.features.names)
    if (!known.contains(name)) fail("cannot train on feature {}: it is not one of {}'s", name, set.feature_set);
  const LabelCounts counts = count_labels(set.labels);
  if (counts.positives == 0)
    fail("no positive (botnet) labels among the {} rows: a model needs botnet and normal flows", rows);
  if (counts.negatives == 0)
    fail("no negative (normal) labels among the {} rows: a model needs botnet and normal flows", rows);
  return counts;
}

// ---- The split by time

struct TimeSplit {
  std::vector<size_t> training, validation;  // row numbers, by group, then time
};

// Each group (input file) gives its last validation_share of rows by time to validation, so
// that every input is both learned from and tested on.
TimeSplit split_by_time(std::span<const int64_t> time_ns, std::span<const uint32_t> group, double validation_share) {
  std::vector<size_t> order(time_ns.size());
  std::iota(order.begin(), order.end(), 0);
  const auto group_of = [&](size_t row) { return group.empty() ? 0u : group[row]; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return group_of(a) != group_of(b) ? group_of(a) < group_of(b) : time_ns[a] < time_ns[b];
  });
  TimeSplit split;
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin;
    while (end < order.size() && group_of(order[end]) == group_of(order[begin])) ++end;
    const size_t rows = end - begin;
    size_t validation_rows = size_t(std::llround(validation_share * double(rows)));
    if (validation_share > 0 && rows > 1) validation_rows = std::max<size_t>(validation_rows, 1);
    if (validation_rows >= rows) validation_rows = 0;  // a one-row group trains
    split.training.insert(split.training.end(), order.begin() + std::ptrdiff_t(begin),
                          order.begin() + std::ptrdiff_t(end - validation_rows));
    split.validation.insert(split.validation.end(), order.begin() + std::ptrdiff_t(end - validation_rows),
                            order.begin() + std::ptrdiff_t(end));
    begin = end;
  }
  if (validation_share > 0 && split.validation.empty())
    fail("nothing to validate on: {} rows; give more data or train without validation (--validation 0)",
         order.size());
  return split;
}

// One part of the split as an XGBoost matrix, with its labels.
struct Part {
  std::vector<float> labels;
  LabelCounts counts;
  xgb::DMatrix matrix;
};

// The part's feature rows: a view of the set when they are consecutive (flows usually come
// in time order), else a copy gathered into `storage`.
std::span<const float> rows_of(const FeatureMatrix& features, const std::vector<size_t>& rows,
                               std::vector<float>& storage) {
  const size_t width = features.columns();
  const bool consecutive = !rows.empty() && rows.back() - rows.front() + 1 == rows.size() &&
                           std::is_sorted(rows.begin(), rows.end());
  if (consecutive) return {features.values.data() + rows.front() * width, rows.size() * width};
  storage.resize(rows.size() * width);
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::span<const float> row = features.row(rows[i]);
    std::copy(row.begin(), row.end(), storage.begin() + std::ptrdiff_t(i * width));
  }
  return storage;
}

Part make_part(const TrainingSet& set, const std::vector<size_t>& rows, int threads) {
  std::vector<float> storage;
  const std::span<const float> values = rows_of(set.features, rows, storage);
  std::vector<float> labels(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) labels[i] = set.labels[rows[i]];
  Part part{std::move(labels), {}, xgb::DMatrix(values, rows.size(), set.features.columns(), threads)};
  part.counts = count_labels(part.labels);
  part.matrix.set_labels(part.labels);
  if (!set.weight.empty()) {
    std::vector<float> weights(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) weights[i] = set.weight[rows[i]];
    part.matrix.set_weights(weights);
  }
  part.matrix.set_feature_names(set.features.names);
  return part;
}

void check_both_classes(const LabelCounts& counts, uint64_t rows, const char* part, const TrainOptions& options) {
  const char* missing = counts.positives == 0 ? "botnet" : counts.negatives == 0 ? "normal" : nullptr;
  if (missing == nullptr) return;
  if (std::string_view(part) == "validation")
    fail("the validation part (the last {:g}% of the rows by time, {} rows) has no {} flows; give more data that "
         "covers both classes late in time, or train without validation (--validation 0)",
         options.validation_share * 100, rows, missing);
  fail("the training part (the first {:g}% of the rows by time, {} rows) has no {} flows; give more data, or "
       "another --validation share",
       100 - options.validation_share * 100, rows, missing);
}

// ---- XGBoost's parameters

using Params = std::vector<std::pair<std::string, std::string>>;

bool has_param(const Params& params, std::string_view key) {
  return std::any_of(params.begin(), params.end(), [&](const auto& param) { return param.first == key; });
}

// Each split looks at a random sqrt(n) of the n features, as a random forest's trees do, unless
// the user chose a column sampling. Without it the first trees lean on the strongest feature (a
// host's flows in the window), and a normal host's busy window looks like a bot's: on CTU-13
// scenario 6 split by time, F1 0.76 instead of 0.998 (docs/models.md).
std::string default_colsample_bynode(size_t features) {
  return fmt::format("{:.3f}", std::min(1.0, std::sqrt(double(features)) / double(std::max<size_t>(1, features))));
}

Params booster_params(const TrainOptions& options, double scale_pos_weight, size_t features) {
  Params params = {
      {"tree_method", "hist"},
      {"objective", "binary:logistic"},
      {"eval_metric", "auc"},
      {"max_depth", std::to_string(options.max_depth)},
      {"eta", fmt::format("{}", options.eta)},
      {"nthread", std::to_string(options.threads)},
      {"seed", std::to_string(options.seed)},
  };
  if (!has_param(options.params, "scale_pos_weight"))
    params.emplace_back("scale_pos_weight", fmt::format("{}", scale_pos_weight));
  if (!has_param(options.params, "colsample_bynode") && !has_param(options.params, "colsample_bytree") &&
      !has_param(options.params, "colsample_bylevel"))
    params.emplace_back("colsample_bynode", default_colsample_bynode(features));
  params.insert(params.end(), options.params.begin(), options.params.end());
  return params;
}

void collect_keys(const json& node, std::set<std::string>& keys) {
  if (node.is_object())
    for (const auto& [key, value] : node.items()) {
      keys.insert(key);
      collect_keys(value, keys);
    }
  else if (node.is_array())
    for (const json& element : node) collect_keys(element, keys);
}

// Sets the parameters and has XGBoost check them now, before any training. XGBoost 1.7 only
// warns about keys it does not know; botd refuses them: they are typos.
void configure(xgb::Booster& booster, const Params& params, const Params& user_params) {
  for (const auto& [key, value] : user_params)
    if (key == "objective" && value != "binary:logistic")
      fail("bad --param objective={}: botd models predict probabilities with binary:logistic", value);
  for (const auto& [key, value] : params) booster.set_param(key, value);
  std::string config;
  try {
    config = booster.config_json();
  } catch (const Error& e) {
    fail("bad training parameters: {}", e.what());
  }
  std::set<std::string> known = {"eval_metric", "verbosity"};  // kept outside the learner's config
  collect_keys(json::parse(config), known);
  for (const auto& [key, value] : user_params)
    if (!known.contains(key)) fail("bad --param {}={}: XGBoost has no parameter {}", key, value, key);
}

// ---- Boosting

// Boosts round after round; returns the best round (0-based): the one with the highest
// validation AUC (the first of equals), or the last one without validation.
double mean_log_loss(std::span<const float> probabilities, std::span<const float> labels) {
  constexpr double kEpsilon = 1e-7;
  double sum = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    const double p = std::clamp(double(probabilities[i]), kEpsilon, 1 - kEpsilon);
    sum -= labels[i] > 0.5f ? std::log(p) : std::log(1 - p);
  }
  return labels.empty() ? 0 : sum / double(labels.size());
}

int boost(xgb::Booster& booster, const Part& training, const Part* validation, const TrainOptions& options,
          TrainingReport& report) {
  int best_round = 0;
  double best_auc = -1, best_log_loss = std::numeric_limits<double>::infinity();
  for (int round = 0; round < options.rounds; ++round) {
    booster.update(round, training.matrix);
    report.rounds_boosted = round + 1;
    double auc = std::numeric_limits<double>::quiet_NaN();
    if (validation == nullptr) {
      best_round = round;
    } else {
      const std::vector<float> probabilities = booster.predict(validation->matrix);
      auc = roc_auc(probabilities, validation->labels);
      report.validation_auc.push_back(auc);
      // Equal AUCs (an AUC of 1 on a validation part the first trees already separate) are
      // told apart by log loss, so boosting goes on while the model grows surer, instead of
      // keeping the first few trees: with 4 trees, CTU-13 scenario 6 split by time lost 10
      // botnet flows that 50 more trees find.
      const double log_loss = mean_log_loss(probabilities, validation->labels);
      if (auc > best_auc || (auc == best_auc && log_loss < best_log_loss)) {
        best_auc = auc;
        best_log_loss = log_loss;
        best_round = round;
      }
    }
    if (options.progress) options.progress(round, auc);
    if (validation != nullptr && options.early_stopping_rounds > 0 &&
        round - best_round >= options.early_stopping_rounds) {
      report.stopped_early = true;
      break;
    }
  }
  return best_round;
}

ValidationMetrics measure(const xgb::Booster& booster, const Part& part, const char* part_name, int best_round) {
  const std::vector<float> probabilities = booster.predict(part.matrix);
  const ThresholdChoice choice = best_f1_threshold(probabilities, part.labels);
  ValidationMetrics metrics;
  metrics.rows = part.labels.size();
  metrics.positives = part.counts.positives;
  metrics.auc = roc_auc(probabilities, part.labels);
  metrics.f1 = choice.f1;
  metrics.precision = choice.precision;
  metrics.recall = choice.recall;
  metrics.threshold = choice.threshold;
  metrics.best_iteration = best_round;
  metrics.part = part_name;
  return metrics;
}

}  // namespace

std::pair<std::string, std::string> parse_param(std::string_view key_equals_value) {
  const size_t equals = key_equals_value.find('=');
  if (equals == std::string_view::npos || equals == 0)
    fail("bad --param '{}': expected KEY=VALUE, e.g. --param min_child_weight=5", key_equals_value);
  return {std::string(key_equals_value.substr(0, equals)), std::string(key_equals_value.substr(equals + 1))};
}

namespace {

// With --threads 0 (all cores), a small set trains on one thread: XGBoost wakes its OpenMP
// threads for every step of every round, which costs more than the rows' work below about
// 20,000 rows (scenario 6's 70%: 7,867 rows fit in 0.17 s on one thread, 0.22 s on two; 19,406
// rows 0.47 and 0.49 s; 46,238 rows 1.27 and 1.05 s). The model is the same bytes either way.
constexpr size_t kRowsForAllThreads = 20000;

TrainOptions with_threads_for(const TrainOptions& options, size_t rows) {
  TrainOptions chosen = options;
  if (chosen.threads == 0 && rows < kRowsForAllThreads) chosen.threads = 1;
  return chosen;
}

}  // namespace

Model train(const TrainingSet& set, const TrainOptions& asked, ModelMetadata metadata, TrainingReport& report) {
  check_options(asked);
  const TrainOptions options = with_threads_for(asked, set.labels.size());
  const LabelCounts all = check_set(set);
  const TimeSplit split = split_by_time(set.time_ns, set.group, options.validation_share);

  report = TrainingReport{};
  const Part training = make_part(set, split.training, options.threads);
  check_both_classes(training.counts, split.training.size(), "training", options);
  std::optional<Part> validation;
  if (!split.validation.empty()) {
    validation.emplace(make_part(set, split.validation, options.threads));
    check_both_classes(validation->counts, split.validation.size(), "validation", options);
  }
  report.training_rows = split.training.size();
  report.training_positives = training.counts.positives;
  report.validation_rows = split.validation.size();
  report.validation_positives = validation ? validation->counts.positives : 0;
  report.scale_pos_weight = double(training.counts.negatives) / double(training.counts.positives);

  std::vector<const xgb::DMatrix*> cached = {&training.matrix};
  if (validation) cached.push_back(&validation->matrix);
  xgb::Booster booster(cached);
  configure(booster, booster_params(options, report.scale_pos_weight, set.features.columns()), options.params);

  const int best_round = boost(booster, training, validation ? &*validation : nullptr, options, report);
  if (booster.boosted_rounds() > best_round + 1) booster = booster.first_rounds(best_round + 1);

  report.metrics = validation ? measure(booster, *validation, "validation", best_round)
                              : measure(booster, training, "training", best_round);
  metadata.feature_set = set.feature_set;
  metadata.feature_names = set.features.names;
  metadata.threshold = report.metrics.threshold;
  metadata.rows = set.features.rows();
  metadata.positives = all.positives;
  metadata.negatives = all.negatives;
  metadata.validation = report.metrics;
  metadata.version = BOTD_VERSION;
  return Model(std::move(booster), std::move(metadata));
}

}  // namespace botd
