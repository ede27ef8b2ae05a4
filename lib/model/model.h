// A botd model: one XGBoost JSON file (binary:logistic trees) plus botd's metadata in its
// attributes (model/model_metadata.h). This is what scoring uses: load, predict, threshold.
//
// Loading checks, in order, and throws Error naming the file and the first failure:
//   the file is readable -> it is JSON -> it is an XGBoost model (XGBoost loads it) ->
//   it predicts probabilities (objective binary:logistic, tree booster) -> it has botd's
//   attributes -> its feature set is botd-flow-v1 and every feature it names is one botd
//   computes (features/feature_set.h), once each, as many as the model has columns.
// A model trained elsewhere (Python, Spark) with botd's feature names and the two required
// attributes loads like one botd trained.
//
// predict() maps columns by NAME: the matrix may order its columns differently from the
// model and may have extra columns; a feature the model needs and the matrix lacks is an
// Error. Rows go in batches (NaN is missing) to botd's own evaluation of the trees
// (model/flat_trees.h: XGBoost's probabilities, faster), or to XGBoost's inplace prediction
// for a model botd does not evaluate or when PredictOptions::xgboost says so; the result has
// one probability per row, in row order.
//
// Thread safety: predict() may run on several threads at once; set_predict_options() may not
// run concurrently with anything else.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "features/feature_set.h"
#include "model/flat_trees.h"
#include "model/model_metadata.h"
#include "model/xgboost_api.h"

namespace botd {

class OutputFile;

struct PredictOptions {
  int threads = 0;              // threads per predict() call; 0 = all cores
  bool xgboost = false;         // XGBoost predicts even where botd evaluates the trees (to compare)
  size_t batch_rows = 1 << 16;  // rows per XGBoost call (bounds the gather buffer)
};

class Model {
 public:
  // Writes `metadata` into the booster's attributes and feature names (train() does this).
  // REQUIRES: metadata.feature_names has one name per model column.
  Model(xgb::Booster booster, ModelMetadata metadata);

  // The attribute that holds a flow model's host-window model (docs/detection.md): its whole
  // XGBoost JSON, so that the model stays one file.
  static constexpr std::string_view kHostModelAttribute = "botd.host_model";

  // Reads and checks a model file (see above).
  static Model load(const std::filesystem::path& path);
  // The same from JSON text already in memory; `origin` names it in errors.
  static Model from_json(std::string_view json, const std::string& origin);

  // The host-window model trained with this flow model (feature set botd-host-v2), or nullptr.
  const Model* host_model() const { return host_model_.get(); }
  // Attaches a host-window model; save() then writes it inside this model's file.
  void set_host_model(Model host_model);

  // Writes the model as XGBoost JSON to `out` (io/output_file.h: a file is published whole by
  // out.commit(), which stays with the caller), or to a path, committed. Throws Error naming
  // the output.
  void save(OutputFile& out) const;
  void save(const std::string& path) const;
  // The bytes save() writes.
  std::string to_json() const;

  const ModelMetadata& metadata() const { return metadata_; }
  int boosted_rounds() const { return booster_.boosted_rounds(); }

  void set_predict_options(const PredictOptions& options);
  // Whether botd evaluates this model's trees itself (model/flat_trees.h) rather than XGBoost.
  bool botd_evaluates_trees() const { return flat_trees_ != nullptr; }
  // The trees as botd evaluates them, or nullptr (XGBoost predicts).
  const FlatTrees* flat_trees() const { return flat_trees_.get(); }
  // For each model column, the matrix column that holds it. Throws Error when one is missing.
  std::vector<size_t> column_map(const FeatureMatrix& features) const;
  // One probability per row of `features`. Throws Error when a model feature is missing.
  std::vector<float> predict(const FeatureMatrix& features) const;
  // One probability per entry of `rows` (rows of `features`, in that order): the model's
  // columns of those rows are gathered once, without a copy of the rows first.
  std::vector<float> predict(const FeatureMatrix& features, std::span<const size_t> rows) const;

 private:
  enum class Attributes { write, keep };
  Model(xgb::Booster booster, ModelMetadata metadata, Attributes attributes);
  // `feature_set`: the set the model must be of (botd-flow-v1 for a model file).
  static Model from_json(std::string_view json, const std::string& origin, std::string_view feature_set);

  // Of the rows `rows` of `features`, or of every row when `rows` is null.
  std::vector<float> predict_rows(const FeatureMatrix& features, const std::span<const size_t>* rows) const;

  xgb::Booster booster_;
  ModelMetadata metadata_;
  PredictOptions options_;
  std::shared_ptr<Model> host_model_;
  std::shared_ptr<const FlatTrees> flat_trees_;  // null: XGBoost predicts
};

}  // namespace botd
