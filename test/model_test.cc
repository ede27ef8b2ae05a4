// lib/model: training (split by time, early stopping, threshold, determinism), model files
// (save, load, the checks on damaged or foreign files), prediction by feature name, the
// model folder, and interoperability with Python's xgboost.
//
// The data are synthetic: botd's real feature names (so that load-time checks pass), random
// values with some NaN, and a label that follows a rule on three features plus label noise.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.h"
#include "core/time_format.h"
#include "features/feature_set.h"
#include "features/host_window.h"
#include "model/classifier_metrics.h"
#include "model/flat_trees.h"
#include "model/input_digest.h"
#include "model/model.h"
#include "model/model_folder.h"
#include "model/prediction_memo.h"
#include "model/train.h"
#include "pipeline/flow_batches.h"
#include "pipeline/progress.h"
#include "pipeline/run_stats.h"
#include "test_support.h"

namespace botd {
namespace {

size_t column_of(const std::string& name) {
  const auto& names = feature_names();
  return size_t(std::find(names.begin(), names.end(), name) - names.begin());
}

// `rows` flows, one second apart, in time order. Botnet: high dport and few packets, or a long
// duration; `label_noise` of the labels are flipped.
TrainingSet synthetic_set(size_t rows, uint64_t seed, double label_noise = 0.05) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<float> uniform(0, 1);
  TrainingSet set;
  set.features.names = feature_names();
  const size_t width = set.features.names.size();
  const size_t dport = column_of("dport"), packets = column_of("tot_pkts"), duration = column_of("duration");
  set.features.values.resize(rows * width);
  for (size_t row = 0; row < rows; ++row) {
    float* values = set.features.values.data() + row * width;
    for (size_t column = 0; column < width; ++column)
      values[column] = uniform(random) < 0.1f ? std::nanf("") : uniform(random);
    values[dport] = uniform(random);
    values[packets] = uniform(random);
    const bool botnet = (values[dport] > 0.6f && values[packets] < 0.5f) || values[duration] > 0.9f;
    const bool flipped = uniform(random) < label_noise;
    set.labels.push_back(botnet != flipped ? 1.0f : 0.0f);
    set.time_ns.push_back(int64_t(row) * kNanosPerSecond);
  }
  return set;
}

TrainOptions quick_options() {
  TrainOptions options;
  options.rounds = 60;
  options.eta = 0.3;
  options.early_stopping_rounds = 10;
  options.threads = 1;  // OpenMP threads crawl on a busy machine; the determinism tests use more
  return options;
}

ModelMetadata window_metadata() {
  ModelMetadata metadata;
  metadata.window_ns = 300 * kNanosPerSecond;
  metadata.step_ns = 150 * kNanosPerSecond;
  metadata.inputs = {{"capture.binetflow", 1234, std::string(64, 'a')}};
  return metadata;
}

Model train_quietly(const TrainingSet& set, const TrainOptions& options, TrainingReport* report_out = nullptr) {
  TrainingReport report;
  Model model = train(set, options, window_metadata(), report);
  if (report_out) *report_out = report;
  return model;
}

// One model shared by the tests that only read it. Never destroyed: freeing a booster from a
// static destructor, after libxgboost's own statics are gone, crashes (XGBoost 1.7).
const Model& shared_model() {
  static const Model* model = new Model(train_quietly(synthetic_set(5000, 1), quick_options()));
  return *model;
}

// Rows [first, first + count) of a matrix.
FeatureMatrix rows_of(const FeatureMatrix& features, size_t first, size_t count) {
  FeatureMatrix part;
  part.names = features.names;
  part.values.assign(features.values.begin() + std::ptrdiff_t(first * features.columns()),
                     features.values.begin() + std::ptrdiff_t((first + count) * features.columns()));
  return part;
}

// The same matrix with its columns in the order `names`.
FeatureMatrix reordered(const FeatureMatrix& features, const std::vector<std::string>& names) {
  FeatureMatrix out;
  out.names = names;
  for (size_t row = 0; row < features.rows(); ++row)
    for (const std::string& name : names) {
      const size_t column = size_t(std::find(features.names.begin(), features.names.end(), name) -
                                   features.names.begin());
      out.values.push_back(features.row(row)[column]);
    }
  return out;
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// The Error text load() throws for a file holding `bytes`.
std::string load_error(const test::TempDir& dir, const std::string& bytes) {
  const auto path = dir / "model.json";
  write_file(path, bytes);
  try {
    Model::load(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string train_error(const TrainingSet& set, const TrainOptions& options = quick_options()) {
  try {
    train_quietly(set, options);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// ---- Metrics

TEST(ModelMetrics, AucCountsTiesAsHalf) {
  const std::vector<float> labels = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(roc_auc(std::vector<float>{0.1f, 0.2f, 0.3f, 0.4f}, labels), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc(std::vector<float>{0.4f, 0.3f, 0.2f, 0.1f}, labels), 0.0);
  EXPECT_DOUBLE_EQ(roc_auc(std::vector<float>{0.5f, 0.5f, 0.5f, 0.5f}, labels), 0.5);
  // Pairs (neg, pos): (0.1,0.5)>, (0.1,0.2)>, (0.5,0.5)=, (0.5,0.2)< -> (2 + 0.5) / 4.
  EXPECT_DOUBLE_EQ(roc_auc(std::vector<float>{0.1f, 0.5f, 0.5f, 0.2f}, labels), 0.625);
}

TEST(ModelMetrics, BestF1ThresholdOnASmallCase) {
  {
    // Separable: any threshold in (0.3, 0.7] is perfect; botd takes the middle of the gap.
    const std::vector<float> probabilities = {0.9f, 0.7f, 0.3f, 0.1f}, labels = {1, 1, 0, 0};
    EXPECT_FLOAT_EQ(best_f1_threshold(probabilities, labels).threshold, 0.5f);
  }
  const std::vector<float> probabilities = {0.9f, 0.8f, 0.7f, 0.6f, 0.2f};
  const std::vector<float> labels = {1, 0, 1, 1, 0};
  // p >= 0.6 flags 3 of 3 positives and 1 negative: F1 = 6 / 7, the best. The threshold sits
  // halfway between 0.6 (flagged) and 0.2 (not).
  const ThresholdChoice choice = best_f1_threshold(probabilities, labels);
  EXPECT_FLOAT_EQ(choice.threshold, 0.4f);
  EXPECT_DOUBLE_EQ(choice.f1, 6.0 / 7.0);
  EXPECT_DOUBLE_EQ(choice.precision, 0.75);
  EXPECT_DOUBLE_EQ(choice.recall, 1.0);
}

// ---- Training

TEST(ModelTrain, TwiceGivesIdenticalBytes) {
  const TrainingSet set = synthetic_set(5000, 2);
  TrainOptions all_cores = quick_options();
  all_cores.threads = 0;
  const std::string first = train_quietly(set, all_cores).to_json();
  const std::string second = train_quietly(set, all_cores).to_json();
  EXPECT_EQ(first.size(), second.size());
  EXPECT_TRUE(first == second) << "two trainings on the same input gave different models";
}

TEST(ModelTrain, ThreadCountDoesNotChangeTheModel) {
  const TrainingSet set = synthetic_set(5000, 3);
  TrainOptions one_thread = quick_options(), four_threads = quick_options();
  four_threads.threads = 4;
  EXPECT_TRUE(train_quietly(set, one_thread).to_json() == train_quietly(set, four_threads).to_json());
}

TEST(ModelTrain, RecordsMetadataAndValidatesOnTheLastRowsByTime) {
  TrainingSet set = synthetic_set(5000, 4);
  TrainingReport report;
  const Model model = train_quietly(set, quick_options(), &report);
  const ModelMetadata& metadata = model.metadata();
  EXPECT_EQ(metadata.feature_set, kFeatureSetName);
  EXPECT_EQ(metadata.feature_names, feature_names());
  EXPECT_EQ(metadata.window_ns, 300 * kNanosPerSecond);
  EXPECT_EQ(metadata.step_ns, 150 * kNanosPerSecond);
  EXPECT_EQ(metadata.inputs, window_metadata().inputs);
  EXPECT_EQ(metadata.rows, 5000u);
  EXPECT_EQ(metadata.positives + metadata.negatives, 5000u);
  EXPECT_EQ(metadata.version, BOTD_VERSION);
  ASSERT_TRUE(metadata.validation);
  EXPECT_EQ(metadata.validation->rows, 1000u);
  EXPECT_EQ(metadata.validation->part, "validation");
  EXPECT_EQ(metadata.threshold, metadata.validation->threshold);
  EXPECT_GT(metadata.validation->auc, 0.9) << "the rule is learnable";
  EXPECT_EQ(report.training_rows, 4000u);
  EXPECT_EQ(report.validation_rows, 1000u);
  uint64_t late_positives = 0;
  for (size_t row = 4000; row < 5000; ++row) late_positives += set.labels[row] == 1.0f;
  EXPECT_EQ(report.validation_positives, late_positives);
  EXPECT_EQ(metadata.validation->positives, late_positives);
}

TEST(ModelTrain, SplitFollowsTimeNotRowOrder) {
  // Times run backwards, so the validation part is the FIRST 1000 rows of the matrix.
  TrainingSet set = synthetic_set(5000, 5);
  std::reverse(set.time_ns.begin(), set.time_ns.end());
  TrainingReport report;
  train_quietly(set, quick_options(), &report);
  uint64_t early_positives = 0;
  for (size_t row = 0; row < 1000; ++row) early_positives += set.labels[row] == 1.0f;
  EXPECT_EQ(report.validation_positives, early_positives);
  // And with no botnet among those rows, the validation part lacks a class.
  for (size_t row = 0; row < 1000; ++row) set.labels[row] = 0;
  const std::string error = train_error(set);
  EXPECT_NE(error.find("validation part"), std::string::npos) << error;
  EXPECT_NE(error.find("no botnet flows"), std::string::npos) << error;
  EXPECT_NE(error.find("--validation 0"), std::string::npos) << error;
}

TEST(ModelTrain, EarlyStoppingKeepsTheBestIteration) {
  // Heavy label noise and a large step: validation AUC peaks early, then falls.
  const TrainingSet set = synthetic_set(5000, 6, /*label_noise=*/0.3);
  TrainOptions options = quick_options();
  options.rounds = 300;
  options.eta = 0.6;
  options.early_stopping_rounds = 8;
  std::vector<int> rounds_seen;
  options.progress = [&](int round, double) { rounds_seen.push_back(round); };
  TrainingReport report;
  const Model model = train_quietly(set, options, &report);
  ASSERT_TRUE(report.stopped_early);
  const auto& auc = report.validation_auc;
  const int best = int(std::max_element(auc.begin(), auc.end()) - auc.begin());  // the first maximum
  EXPECT_EQ(model.metadata().validation->best_iteration, best);
  EXPECT_EQ(report.rounds_boosted, best + 1 + options.early_stopping_rounds);
  EXPECT_EQ(int(rounds_seen.size()), report.rounds_boosted);
  EXPECT_EQ(model.boosted_rounds(), best + 1) << "the saved model must hold the best round's trees only";
  EXPECT_NEAR(model.metadata().validation->auc, auc[size_t(best)], 1e-9);
  // The saved model's own predictions on the validation rows give the recorded AUC.
  const FeatureMatrix late = rows_of(set.features, 4000, 1000);
  const std::vector<float> late_labels(set.labels.begin() + 4000, set.labels.end());
  EXPECT_NEAR(roc_auc(model.predict(late), late_labels), auc[size_t(best)], 1e-9);
}

TEST(ModelTrain, ThresholdMaximizesF1OnValidation) {
  const TrainingSet set = synthetic_set(5000, 7, /*label_noise=*/0.1);
  const Model model = train_quietly(set, quick_options());
  const std::vector<float> probabilities = model.predict(rows_of(set.features, 4000, 1000));
  const std::vector<float> labels(set.labels.begin() + 4000, set.labels.end());
  auto f1_at = [&](float threshold) {
    double tp = 0, fp = 0, fn = 0;
    for (size_t i = 0; i < labels.size(); ++i) {
      const bool flagged = probabilities[i] >= threshold, botnet = labels[i] == 1.0f;
      tp += flagged && botnet;
      fp += flagged && !botnet;
      fn += !flagged && botnet;
    }
    return 2 * tp / (2 * tp + fp + fn);
  };
  double best_f1 = 0;
  for (float candidate : std::set<float>(probabilities.begin(), probabilities.end()))
    best_f1 = std::max(best_f1, f1_at(candidate));
  const ModelMetadata& metadata = model.metadata();
  EXPECT_DOUBLE_EQ(metadata.validation->f1, best_f1);
  EXPECT_DOUBLE_EQ(f1_at(metadata.threshold), best_f1);
  EXPECT_GT(metadata.validation->precision, 0);
  EXPECT_GT(metadata.validation->recall, 0);
}

TEST(ModelTrain, WithoutValidationChoosesTheThresholdOnTrainingRows) {
  TrainOptions options = quick_options();
  options.validation_share = 0;
  options.rounds = 20;
  TrainingReport report;
  const Model model = train_quietly(synthetic_set(2000, 8), options, &report);
  EXPECT_EQ(report.validation_rows, 0u);
  EXPECT_EQ(report.rounds_boosted, 20);
  EXPECT_EQ(model.boosted_rounds(), 20);
  EXPECT_EQ(model.metadata().validation->part, "training");
}

TEST(ModelTrain, RefusesInputItCannotLearnFrom) {
  TrainingSet positives = synthetic_set(500, 9);
  std::fill(positives.labels.begin(), positives.labels.end(), 1.0f);
  EXPECT_NE(train_error(positives).find("no negative (normal) labels"), std::string::npos);

  TrainingSet negatives = synthetic_set(500, 9);
  std::fill(negatives.labels.begin(), negatives.labels.end(), 0.0f);
  EXPECT_NE(train_error(negatives).find("no positive (botnet) labels"), std::string::npos);

  TrainingSet empty;
  empty.features.names = feature_names();
  EXPECT_NE(train_error(empty).find("no labeled rows"), std::string::npos);

  TrainingSet odd_label = synthetic_set(500, 9);
  odd_label.labels[3] = 0.5f;
  EXPECT_NE(train_error(odd_label).find("label 0.5 at row 3"), std::string::npos);
}

TEST(ModelTrain, RefusesBadParameters) {
  const TrainingSet set = synthetic_set(500, 10);
  TrainOptions options = quick_options();
  options.params = {{"max_dpeth", "4"}};
  EXPECT_EQ(train_error(set, options), "bad --param max_dpeth=4: XGBoost has no parameter max_dpeth");
  options.params = {{"max_depth", "deep"}};
  const std::string bad_value = train_error(set, options);
  EXPECT_NE(bad_value.find("bad training parameters"), std::string::npos) << bad_value;
  EXPECT_NE(bad_value.find("max_depth"), std::string::npos) << bad_value;
  EXPECT_EQ(bad_value.find('\n'), std::string::npos) << "one line, without XGBoost's stack trace";
  options.params = {{"objective", "reg:squarederror"}};
  EXPECT_NE(train_error(set, options).find("binary:logistic"), std::string::npos);
  options.params = {{"min_child_weight", "5"}, {"scale_pos_weight", "1"}};
  EXPECT_EQ(train_error(set, options), "(no error)");

  EXPECT_EQ(parse_param("max_bin=64"), std::make_pair(std::string("max_bin"), std::string("64")));
  EXPECT_THROW(parse_param("max_bin"), Error);
  EXPECT_THROW(parse_param("=64"), Error);
}

// ---- Model files

TEST(ModelFile, SaveAndLoadRoundTrip) {
  test::TempDir dir;
  const Model& model = shared_model();
  model.save((dir / "m.json").string());
  EXPECT_FALSE(std::filesystem::exists(dir / "m.json.partial"));
  const Model loaded = Model::load(dir / "m.json");
  EXPECT_EQ(loaded.metadata(), model.metadata());
  EXPECT_TRUE(loaded.to_json() == model.to_json()) << "loading and saving again changes nothing";
  const TrainingSet fresh = synthetic_set(3000, 11);
  EXPECT_EQ(loaded.predict(fresh.features), model.predict(fresh.features));
}

// A host-window model (feature set botd-host-v2) travels inside its flow model's file and
// comes back with it; a file holding a host model alone is not a model to score with.
TEST(ModelFile, HostModelTravelsInsideTheFlowModelFile) {
  test::TempDir dir;
  TrainingSet hosts;
  hosts.feature_set = std::string(kHostFeatureSetName);
  hosts.features.names = host_feature_names();
  std::mt19937_64 random(7);
  std::uniform_real_distribution<float> uniform(0, 1);
  for (int row = 0; row < 600; ++row) {
    const float label = row % 3 == 0 ? 1.0f : 0.0f;
    for (size_t c = 0; c < hosts.features.columns(); ++c) hosts.features.values.push_back(uniform(random) + label * (c % 2));
    hosts.labels.push_back(label);
    hosts.time_ns.push_back(row * kNanosPerSecond);
  }
  Model host = train_quietly(hosts, quick_options());
  EXPECT_EQ(host.metadata().feature_set, "botd-host-v2");
  const std::vector<float> host_probabilities = host.predict(hosts.features);
  host.save((dir / "host-only.json").string());

  Model flows = train_quietly(synthetic_set(3000, 5), quick_options());
  EXPECT_EQ(flows.host_model(), nullptr);
  flows.set_host_model(std::move(host));
  flows.save((dir / "both.json").string());
  const Model loaded = Model::load(dir / "both.json");
  ASSERT_NE(loaded.host_model(), nullptr);
  EXPECT_EQ(loaded.host_model()->metadata().feature_names, host_feature_names());
  EXPECT_EQ(loaded.host_model()->predict(hosts.features), host_probabilities);
  EXPECT_TRUE(loaded.to_json() == flows.to_json());

  try {
    Model::load(dir / "host-only.json");
    ADD_FAILURE() << "a host model alone loaded as a flow model";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("feature set is 'botd-host-v2'; botd needs botd-flow-v1"), std::string::npos)
        << e.what();
  }
}

TEST(ModelFile, AttributesAreBotdStrings) {
  const std::string json = shared_model().to_json();
  for (const char* key : {"botd.feature_set", "botd.features", "botd.window", "botd.step", "botd.threshold",
                          "botd.inputs", "botd.rows", "botd.positives", "botd.negatives", "botd.validation",
                          "botd.version"})
    EXPECT_NE(json.find(fmt::format("\"{}\":\"", key)), std::string::npos) << key;
  EXPECT_NE(json.find("\"botd.window\":\"300\""), std::string::npos);
  EXPECT_NE(json.find("\"feature_names\":[\"duration\""), std::string::npos) << "XGBoost's own feature names";
}

TEST(ModelFile, DamagedOrForeignFilesAreClearErrors) {
  test::TempDir dir;
  const std::string path = (dir / "model.json").string();
  const std::string good = shared_model().to_json();

  std::string error = load_error(dir, "\x01\x02garbage\xff bytes");
  EXPECT_EQ(error.rfind(path + ": not JSON", 0), 0u) << error;
  error = load_error(dir, good.substr(0, good.size() / 2));
  EXPECT_EQ(error.rfind(path + ": not JSON", 0), 0u) << error;
  error = load_error(dir, R"({"hello": [1, 2, 3]})");
  EXPECT_EQ(error, path + ": JSON, but not an XGBoost model (no learner and version at its top)");
  error = load_error(dir, replaced(good, "\"botd.", "\"other."));
  EXPECT_EQ(error.rfind(path + ": not a botd model: lacks the botd.feature_set attribute", 0), 0u) << error;
  error = load_error(dir, replaced(replaced(good, "\"dport\"", "\"bogus\""), "\\\"dport\\\"", "\\\"bogus\\\""));
  EXPECT_EQ(error, path + ": the model uses 1 feature botd cannot compute: bogus (feature set botd-flow-v1)");
  error = load_error(dir, replaced(good, "binary:logistic", "reg:squarederror"));
  EXPECT_NE(error.find("needs binary:logistic"), std::string::npos) << error;
  error = load_error(dir, replaced(good, "\"botd.feature_set\":\"botd-flow-v1\"", "\"botd.feature_set\":\"v9\""));
  EXPECT_NE(error.find("feature set is 'v9'"), std::string::npos) << error;

  try {
    Model::load(dir / "absent.json");
    ADD_FAILURE() << "loaded a missing file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("absent.json: cannot open"), std::string::npos) << e.what();
  }
}

TEST(ModelFile, SaveFailureLeavesNoFile) {
  test::TempDir dir;
  const auto target = dir / "missing-folder" / "m.json";
  EXPECT_THROW(shared_model().save(target.string()), Error);
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST(ModelFile, InputDigestIsSha256) {
  test::TempDir dir;
  write_file(dir / "abc.txt", "abc");
  const TrainingInput input = describe_input_file(dir / "abc.txt");
  EXPECT_EQ(input.name, "abc.txt");
  EXPECT_EQ(input.bytes, 3u);
  EXPECT_EQ(input.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// ---- Prediction

TEST(ModelPredict, MapsColumnsByName) {
  const Model& model = shared_model();
  const TrainingSet fresh = synthetic_set(2000, 12);
  std::vector<std::string> backwards = feature_names();
  std::reverse(backwards.begin(), backwards.end());
  EXPECT_EQ(model.predict(reordered(fresh.features, backwards)), model.predict(fresh.features));

  std::vector<std::string> without_dport = feature_names();
  without_dport.erase(without_dport.begin() + std::ptrdiff_t(column_of("dport")));
  try {
    model.predict(reordered(fresh.features, without_dport));
    ADD_FAILURE() << "predicted without a feature";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "the feature matrix lacks 1 feature the model needs: dport");
  }
}

TEST(ModelPredict, BatchesAndThreadsGiveTheSameProbabilities) {
  test::TempDir dir;
  shared_model().save((dir / "m.json").string());
  Model model = Model::load(dir / "m.json");
  const TrainingSet fresh = synthetic_set(3000, 13);
  const std::vector<float> expected = model.predict(fresh.features);
  ASSERT_EQ(expected.size(), 3000u);
  EXPECT_TRUE(model.predict(FeatureMatrix{feature_names(), {}}).empty());

  model.set_predict_options({.threads = 1, .batch_rows = 7});
  EXPECT_EQ(model.predict(fresh.features), expected);

  model.set_predict_options({});
  std::vector<float> from_threads[2];
  std::thread first([&] { from_threads[0] = model.predict(fresh.features); });
  std::thread second([&] { from_threads[1] = model.predict(fresh.features); });
  first.join();
  second.join();
  EXPECT_EQ(from_threads[0], expected);
  EXPECT_EQ(from_threads[1], expected);
}

// Predicting a list of rows gives each listed row its probability from the whole matrix, in
// the list's order (repeats included), with botd's trees and with XGBoost's, in batches, with
// the columns in the model's order or not.
TEST(ModelPredict, ListedRowsGetTheirRowsProbabilities) {
  test::TempDir dir;
  shared_model().save((dir / "m.json").string());
  Model model = Model::load(dir / "m.json");
  const TrainingSet fresh = synthetic_set(3000, 17);
  std::vector<std::string> backwards = feature_names();
  std::reverse(backwards.begin(), backwards.end());
  const std::vector<size_t> rows = {2999, 0, 17, 17, 1500, 3, 2998};
  for (const bool xgboost : {false, true}) {
    model.set_predict_options({.threads = 1, .xgboost = xgboost, .batch_rows = 3});
    for (const FeatureMatrix& matrix : {fresh.features, reordered(fresh.features, backwards)}) {
      const std::vector<float> all = model.predict(matrix), listed = model.predict(matrix, rows);
      ASSERT_EQ(listed.size(), rows.size());
      for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(listed[i], all[rows[i]]) << "xgboost " << xgboost << ", row " << rows[i];
      EXPECT_TRUE(model.predict(matrix, std::vector<size_t>{}).empty());
    }
  }
  EXPECT_EQ(test::error_of([&] { model.predict(fresh.features, std::vector<size_t>{3000}); }),
            "row 3000 of a feature matrix of 3000 rows");
}

// botd evaluates the trees itself (model/flat_trees.h): XGBoost's probabilities, bit for bit,
// for the shipped model on the example's flows and on random rows (a tenth of the values
// missing, some far outside what the trees split on), and for a freshly trained model.
TEST(ModelPredict, BotdsTreesGiveXgboostsProbabilities) {
  FeatureMatrix rows;
  {
    const test::ExampleCapture example;
    Progress quiet("test", false);
    RunStats stats;
    FlowBatchOptions options;
    read_flow_batches(example.pcap.string(), options, [&](FlowBatch& batch) {
      const FeatureMatrix window = compute_features(batch.flows);
      rows.names = window.names;
      rows.values.insert(rows.values.end(), window.values.begin(), window.values.end());
    }, quiet, stats);
  }
  const size_t example_rows = rows.rows();
  ASSERT_GT(example_rows, 1000u);
  std::mt19937 random(7);
  std::uniform_real_distribution<float> uniform(-10, 1e6);
  std::uniform_int_distribution<int> tenth(0, 9);
  for (size_t i = 0; i < 20000 * rows.columns(); ++i)
    rows.values.push_back(tenth(random) == 0 ? std::numeric_limits<float>::quiet_NaN() : uniform(random) / float(1 + tenth(random) * 1000));

  Model shipped = Model::load(test::source_dir() / "models" / "botd-default.json");
  Model trained = Model::from_json(shared_model().to_json(), "trained");
  for (Model* model : {&shipped, &trained}) {
    SCOPED_TRACE(model->metadata().feature_names.size());
    ASSERT_TRUE(model->botd_evaluates_trees());
    model->set_predict_options({.threads = 2, .xgboost = true});
    const std::vector<float> xgboost = model->predict(rows);
    model->set_predict_options({.threads = 2});
    const std::vector<float> botd = model->predict(rows);
    model->set_predict_options({});
    ASSERT_EQ(botd.size(), xgboost.size());
    size_t same = 0;
    float largest = 0;
    for (size_t i = 0; i < botd.size(); ++i) {
      same += std::memcmp(&botd[i], &xgboost[i], sizeof(float)) == 0;
      largest = std::max(largest, std::abs(botd[i] - xgboost[i]));
    }
    EXPECT_LE(largest, 1e-6f);
    EXPECT_EQ(same, botd.size()) << "largest difference " << largest;
  }
}

// The two walks down the trees (FlatTrees::Walk) give the same probabilities bit for bit, and
// the walk that times both and takes the faster gives them too: on rows that repeat their
// neighbours (where walking by row wins) and on random rows (where walking by level wins), a
// tenth of the values missing, in blocks of every size around the block and choice lengths.
TEST(ModelPredict, BothWalksDownTheTreesGiveTheSameProbabilities) {
  const std::optional<FlatTrees> trees =
      FlatTrees::from_model_json(test::read_file(test::source_dir() / "models" / "botd-default.json"));
  ASSERT_TRUE(trees);
  const size_t columns = trees->features();
  std::mt19937 random(11);
  std::uniform_real_distribution<float> uniform(-10, 1e5);
  std::uniform_int_distribution<int> tenth(0, 9);
  std::vector<float> values;
  for (size_t r = 0; r < 10000; ++r)
    for (size_t c = 0; c < columns; ++c)
      values.push_back(tenth(random) == 0 ? std::numeric_limits<float>::quiet_NaN() : uniform(random) / float(1 + tenth(random) * 100));
  for (size_t r = 0; r < 10000; ++r)  // runs of equal rows
    values.insert(values.end(), values.begin() + ptrdiff_t(r / 100 * columns), values.begin() + ptrdiff_t((r / 100 + 1) * columns));
  const size_t rows = values.size() / columns;
  for (const size_t count : {rows, size_t(1), size_t(63), size_t(65), size_t(2047), size_t(2113)}) {
    SCOPED_TRACE(count);
    std::vector<float> by_row, by_level, fastest;
    trees->predict(values.data(), count, columns, 1, by_row, FlatTrees::Walk::by_row);
    trees->predict(values.data(), count, columns, 1, by_level, FlatTrees::Walk::by_level);
    trees->predict(values.data(), count, columns, 2, fastest);
    ASSERT_EQ(by_row.size(), count);
    EXPECT_EQ(std::memcmp(by_row.data(), by_level.data(), count * sizeof(float)), 0);
    EXPECT_EQ(std::memcmp(by_row.data(), fastest.data(), count * sizeof(float)), 0);
  }
}

// PredictionMemo: a row seen in its window or the one before is not predicted again, and every
// row still gets the probability its model gives it, bit for bit. The example's windows, in
// blocks of 1,000 rows, two models at once; one window is announced with too few rows, so the
// memo must grow. Which rows count as seen is checked against the rows' bytes.
TEST(ModelPredict, MemoRecallsRepeatedRowsWithTheirOwnProbabilities) {
  std::vector<FeatureMatrix> windows;
  {
    const test::ExampleCapture example;
    Progress quiet("test", false);
    RunStats stats;
    read_flow_batches(example.pcap.string(), FlowBatchOptions{},
                      [&](FlowBatch& batch) { windows.push_back(compute_features(batch.flows)); }, quiet, stats);
  }
  ASSERT_GE(windows.size(), 5u);
  Model shipped = Model::load(test::source_dir() / "models" / "botd-default.json");
  Model trained = Model::from_json(shared_model().to_json(), "trained");
  PredictionMemo memo({&shipped, &trained});
  std::set<std::string> seen_before, seen_now;
  uint64_t rows = 0, repeated = 0;
  for (size_t w = 0; w < windows.size(); ++w) {
    const FeatureMatrix& window = windows[w];
    memo.start_window(w == 2 ? 10 : window.rows());
    std::vector<std::vector<float>> probabilities(2, std::vector<float>(window.rows()));
    for (size_t first = 0; first < window.rows(); first += 1000) {
      FeatureMatrix block{window.names, {}};
      const size_t count = std::min<size_t>(1000, window.rows() - first);
      block.values.assign(window.values.begin() + ptrdiff_t(first * window.columns()),
                          window.values.begin() + ptrdiff_t((first + count) * window.columns()));
      memo.predict(block, first, probabilities);
    }
    EXPECT_EQ(probabilities[0], shipped.predict(window)) << "window " << w;
    EXPECT_EQ(probabilities[1], trained.predict(window)) << "window " << w;
    std::swap(seen_before, seen_now);
    seen_now.clear();
    for (size_t r = 0; r < window.rows(); ++r) {
      const std::string bytes(reinterpret_cast<const char*>(window.row(r).data()), window.columns() * sizeof(float));
      repeated += seen_now.contains(bytes) || seen_before.contains(bytes);
      seen_now.insert(bytes);
    }
    rows += window.rows();
  }
  EXPECT_GT(repeated, 100u);  // the example repeats 1% of its rows byte for byte
  // Rows are known by the intervals their values fall in between the trees' thresholds: every
  // row repeated byte for byte is recalled, and many more (73% of the example's rows).
  EXPECT_EQ(memo.rows_recalled() + memo.rows_predicted(), rows);
  EXPECT_GT(memo.rows_recalled(), 10 * repeated);
}

// A row is recalled when each of its values lies between the same two thresholds of the trees
// as a row seen before, and predicted again when one value crosses a threshold.
TEST(ModelPredict, MemoTellsRowsApartByTheTreesThresholds) {
  Model shipped = Model::load(test::source_dir() / "models" / "botd-default.json");
  ASSERT_NE(shipped.flat_trees(), nullptr);
  const std::vector<std::vector<float>> thresholds = shipped.flat_trees()->thresholds();
  const std::vector<std::string>& names = shipped.metadata().feature_names;
  const size_t duration = size_t(std::find(names.begin(), names.end(), "duration") - names.begin());
  ASSERT_LT(duration, names.size());
  const std::vector<float>& cuts = thresholds[duration];
  ASSERT_GE(cuts.size(), 2u);
  ASSERT_TRUE(std::is_sorted(cuts.begin(), cuts.end()));
  // Rows of zeros but for the duration: two inside one interval, one across a threshold, one
  // below every threshold, and one missing (its own interval: a split may send it either way).
  const float inside = cuts[0] + (cuts[1] - cuts[0]) / 4, also_inside = cuts[0] + (cuts[1] - cuts[0]) / 2;
  const std::vector<float> durations = {inside, also_inside, cuts[1] /* x < t is false at t */, cuts[0] - 1,
                                        std::numeric_limits<float>::quiet_NaN()};
  FeatureMatrix block{names, std::vector<float>(durations.size() * names.size(), 0.0f)};
  for (size_t r = 0; r < durations.size(); ++r) block.values[r * names.size() + duration] = durations[r];
  PredictionMemo memo({&shipped});
  memo.start_window(durations.size());
  std::vector<std::vector<float>> probabilities(1, std::vector<float>(durations.size()));
  memo.predict(block, 0, probabilities);
  EXPECT_EQ(memo.rows_predicted(), 4u);
  EXPECT_EQ(memo.rows_recalled(), 1u);
  EXPECT_EQ(probabilities[0], shipped.predict(block));

  // Random rows whose values sit at, just below, just above and between the thresholds, or
  // are missing (each a common row with three values drawn again), over two windows: many are
  // recalled, each with its own probability, bit for bit.
  std::mt19937 random(5);
  const auto value_near_a_threshold = [&](const std::vector<float>& t) {
    if (t.empty() || random() % 8 == 0) return std::numeric_limits<float>::quiet_NaN();
    const float at = t[random() % t.size()];
    switch (random() % 4) {
      case 0: return at;
      case 1: return std::nextafter(at, -INFINITY);
      case 2: return std::nextafter(at, INFINITY);
      default: return at + float(random() % 100) / 1000.0f;
    }
  };
  PredictionMemo windows({&shipped});
  for (int w = 0; w < 2; ++w) {
    FeatureMatrix rows{names, {}};
    std::vector<float> common;
    for (size_t c = 0; c < names.size(); ++c) common.push_back(value_near_a_threshold(thresholds[c]));
    for (int r = 0; r < 20000; ++r) {
      std::vector<float> row = common;
      for (int drawn = 0; drawn < 3; ++drawn) {
        const size_t c = random() % names.size();
        row[c] = value_near_a_threshold(thresholds[c]);
      }
      rows.values.insert(rows.values.end(), row.begin(), row.end());
    }
    windows.start_window(rows.rows());
    std::vector<std::vector<float>> predicted(1, std::vector<float>(rows.rows()));
    windows.predict(rows, 0, predicted);
    EXPECT_EQ(predicted[0], shipped.predict(rows)) << "window " << w;
  }
  EXPECT_GT(windows.rows_recalled(), 10000u);
}

// ---- Model folder

TEST(ModelFolder, LoadsTopLevelJsonFilesInNameOrder) {
  test::TempDir dir;
  const Model& model = shared_model();
  std::filesystem::create_directories(dir / "unused");
  model.save((dir / "zeta.json").string());
  model.save((dir / "alpha.json").string());
  model.save((dir / "unused" / "old.json").string());
  model.save((dir / ".hidden.json").string());
  write_file(dir / "README.txt", "not a model");
  write_file(dir / "alpha.json.bak", "not a model");

  const ModelFolder folder = ModelFolder::load(dir.path());
  ASSERT_EQ(folder.models().size(), 2u);
  EXPECT_EQ(folder.models()[0].name, "alpha");
  EXPECT_EQ(folder.models()[1].name, "zeta");
  EXPECT_EQ(ModelFolder::load(dir.path()).take("zeta").path, dir / "zeta.json");
  EXPECT_THROW(ModelFolder::load(dir.path()).take("old"), Error);

  write_file(dir / "broken.json", "{");
  try {
    ModelFolder::load(dir.path());
    ADD_FAILURE() << "loaded a folder with a broken model";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind((dir / "broken.json").string() + ": not JSON", 0), 0u) << e.what();
  }
}

TEST(ModelFolder, MissingOrEmptyFolderIsAnError) {
  test::TempDir dir;
  EXPECT_THROW(ModelFolder::load(dir.path()), Error);
  EXPECT_THROW(ModelFolder::load(dir / "absent"), Error);
}

// ---- Interoperability

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, with python3-xgboost

#define REQUIRE_PYTHON_XGBOOST()                                                                         \
  do {                                                                                                   \
    if (test::run(fmt::format("{} -c 'import xgboost'", kPython)).exit_code != 0)                   \
      GTEST_SKIP() << kPython << " cannot import xgboost (scripts/install-deps --test installs it)";     \
  } while (0)

// CSV with a header of feature names (and `label` last when labels are given).
std::string csv_of(const FeatureMatrix& features, const std::vector<float>* labels = nullptr) {
  std::string csv = fmt::format("{}{}\n", fmt::join(features.names, ","), labels ? ",label" : "");
  for (size_t row = 0; row < features.rows(); ++row)
    csv += fmt::format("{}{}\n", fmt::join(features.row(row), ","), labels ? fmt::format(",{}", (*labels)[row]) : "");
  return csv;
}

test::CommandResult run_python(const test::TempDir& dir, const std::string& script,
                               const std::vector<std::filesystem::path>& arguments) {
  write_file(dir / "script.py", script);
  std::string command = fmt::format("{} {}", kPython, test::quote(dir / "script.py"));
  for (const auto& argument : arguments) command += fmt::format(" {}", test::quote(argument));
  return test::run(command);
}

std::vector<double> numbers_in(const std::vector<std::string>& lines, size_t first) {
  std::vector<double> numbers;
  for (size_t i = first; i < lines.size(); ++i) numbers.push_back(std::stod(lines[i]));
  return numbers;
}

constexpr const char* kPythonPredicts = R"(
import json, sys
import numpy as np
import xgboost as xgb
model_path, csv_path = sys.argv[1], sys.argv[2]
booster = xgb.Booster(model_file=model_path)
with open(csv_path) as f:
    header = f.readline().strip().split(",")
data = np.loadtxt(csv_path, delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)
print(json.dumps({"feature_names": booster.feature_names, "threshold": booster.attr("botd.threshold")}))
for p in booster.predict(xgb.DMatrix(data, feature_names=header, missing=np.nan)):
    print(repr(float(p)))
)";

TEST(ModelInterop, PythonXgboostReadsABotdModelAndPredictsTheSame) {
  REQUIRE_PYTHON_XGBOOST();
  test::TempDir dir;
  const Model& model = shared_model();
  model.save((dir / "m.json").string());
  const TrainingSet fresh = synthetic_set(500, 14);
  write_file(dir / "features.csv", csv_of(fresh.features));

  const test::CommandResult result = run_python(dir, kPythonPredicts, {dir / "m.json", dir / "features.csv"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> lines = result.out_lines();
  ASSERT_EQ(lines.size(), 1 + fresh.features.rows());
  EXPECT_EQ(lines[0], fmt::format(R"({{"feature_names": ["{}"], "threshold": "{}"}})",
                                  fmt::join(feature_names(), "\", \""), format_threshold(model.metadata().threshold)));
  const std::vector<double> theirs = numbers_in(lines, 1);
  const std::vector<float> ours = model.predict(fresh.features);
  for (size_t row = 0; row < ours.size(); ++row) EXPECT_NEAR(theirs[row], ours[row], 1e-5) << "row " << row;
}

// Python trains on botd's features in another column order and adds the two attributes
// botd requires; botd loads that model and predicts what Python predicts.
constexpr const char* kPythonTrains = R"(
import sys
import numpy as np
import xgboost as xgb
csv_path, model_path = sys.argv[1], sys.argv[2]
with open(csv_path) as f:
    header = f.readline().strip().split(",")
table = np.loadtxt(csv_path, delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)
names, data, labels = header[:-1], table[:, :-1], table[:, -1]
params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 4, "nthread": 1}
booster = xgb.train(params, xgb.DMatrix(data, label=labels, feature_names=names, missing=np.nan), 20)
booster.set_attr(**{"botd.feature_set": "botd-flow-v1", "botd.threshold": "0.5"})
booster.save_model(model_path)
for p in booster.predict(xgb.DMatrix(data, feature_names=names, missing=np.nan)):
    print(repr(float(p)))
)";

TEST(ModelInterop, BotdUsesAModelPythonTrainedOnTheSameFeatures) {
  REQUIRE_PYTHON_XGBOOST();
  test::TempDir dir;
  const TrainingSet set = synthetic_set(1000, 15);
  std::vector<std::string> backwards = feature_names();
  std::reverse(backwards.begin(), backwards.end());
  write_file(dir / "train.csv", csv_of(reordered(set.features, backwards), &set.labels));

  const test::CommandResult result = run_python(dir, kPythonTrains, {dir / "train.csv", dir / "python.json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Model model = Model::load(dir / "python.json");
  EXPECT_EQ(model.metadata().feature_names, backwards);
  EXPECT_EQ(model.metadata().threshold, 0.5f);
  EXPECT_FALSE(model.metadata().validation);
  const std::vector<double> theirs = numbers_in(result.out_lines(), 0);
  const std::vector<float> ours = model.predict(set.features);  // botd's column order
  ASSERT_EQ(theirs.size(), ours.size());
  for (size_t row = 0; row < ours.size(); ++row) EXPECT_NEAR(theirs[row], ours[row], 1e-6) << "row " << row;
}

}  // namespace
}  // namespace botd
