#include "model/model.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "features/host_window.h"
#include "io/output_file.h"

namespace botd {
namespace {

using nlohmann::json;

std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("{}: cannot open: {}", path.string(), std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) fail("{}: cannot read: {}", path.string(), std::strerror(errno));
  return text.str();
}

// The top levels of a JSON document (learner -> gradient_booster -> name, objective -> name,
// ...), without the trees: enough to tell what the document is, at a fraction of the memory.
json outline_of(std::string_view text, const std::string& origin) {
  constexpr int kOutlineDepth = 3;
  const json::parser_callback_t keep_top_levels = [](int depth, json::parse_event_t, json&) {
    return depth <= kOutlineDepth;
  };
  try {
    return json::parse(text, keep_top_levels);
  } catch (const json::parse_error& e) {
    fail("{}: not JSON (syntax error at byte {}); a botd model is an XGBoost JSON file", origin, e.byte);
  }
}

// What an XGBoost JSON model has at its top: {"learner": {...}, "version": [1, 7, 4]}.
void check_is_xgboost_model(const json& outline, const std::string& origin) {
  const bool is_model = outline.is_object() && outline.contains("version") && outline["version"].is_array() &&
                        outline.contains("learner") && outline["learner"].is_object() &&
                        outline["learner"].contains("gradient_booster") &&
                        outline["learner"].contains("learner_model_param") &&
                        outline["learner"].contains("objective");
  if (!is_model) fail("{}: JSON, but not an XGBoost model (no learner and version at its top)", origin);
}

std::string name_at(const json& outline, const char* section) {
  const json& part = outline["learner"][section];
  if (!part.is_object() || !part.contains("name") || !part["name"].is_string()) return "?";
  return part["name"].get<std::string>();
}

// botd reads probabilities of a binary tree model.
void check_predicts_probabilities(const json& outline, const std::string& origin) {
  const std::string objective = name_at(outline, "objective");
  if (objective != "binary:logistic")
    fail("{}: the model's objective is {}; botd needs binary:logistic (probabilities of botnet)", origin, objective);
  const std::string booster = name_at(outline, "gradient_booster");
  if (booster != "gbtree" && booster != "dart")
    fail("{}: the model's booster is {}; botd reads tree models (gbtree)", origin, booster);
}

std::map<std::string, std::string> attributes_of(const xgb::Booster& booster) {
  std::map<std::string, std::string> attributes;
  for (const std::string& name : booster.attribute_names())
    if (std::optional<std::string> value = booster.attribute(name)) attributes[name] = *value;
  return attributes;
}

std::string joined(const std::vector<std::string>& names) {
  constexpr size_t kShown = 8;
  std::string text;
  for (size_t i = 0; i < names.size() && i < kShown; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > kShown) text += fmt::format(" and {} more", names.size() - kShown);
  return text;
}

// The model's features must be those of `feature_set`, each once, one per model column.
void check_features_computable(const ModelMetadata& metadata, size_t model_columns, std::string_view feature_set,
                               const std::string& origin) {
  if (metadata.feature_set != feature_set)
    fail("{}: the model's feature set is '{}'; botd needs {} here", origin, metadata.feature_set, feature_set);
  if (metadata.feature_names.size() != model_columns)
    fail("{}: the model names {} features but has {} columns", origin, metadata.feature_names.size(),
         model_columns);
  const std::vector<std::string>& names = *feature_names_of_set(feature_set);
  const std::set<std::string> known(names.begin(), names.end());
  std::set<std::string> seen;
  std::vector<std::string> unknown;
  for (const std::string& name : metadata.feature_names) {
    if (!seen.insert(name).second) fail("{}: the model names feature {} twice", origin, name);
    if (!known.contains(name)) unknown.push_back(name);
  }
  if (!unknown.empty())
    fail("{}: the model uses {} feature{} botd cannot compute: {} (feature set {})", origin, unknown.size(),
         unknown.size() == 1 ? "" : "s", joined(unknown), feature_set);
}

bool is_identity(const std::vector<size_t>& columns) {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] != i) return false;
  return true;
}

// Rows [first, first + count) of `features` (or of the list `rows`, when given), columns in
// `columns` order, into `batch`.
void gather(const FeatureMatrix& features, const std::vector<size_t>& columns, const std::span<const size_t>* rows,
            size_t first, size_t count, std::vector<float>& batch) {
  batch.resize(count * columns.size());
  float* out = batch.data();
  for (size_t i = first; i < first + count; ++i) {
    const float* in = features.values.data() + (rows ? (*rows)[i] : i) * features.columns();
    for (size_t column : columns) *out++ = in[column];
  }
}

}  // namespace

Model::Model(xgb::Booster booster, ModelMetadata metadata)
    : Model(std::move(booster), std::move(metadata), Attributes::write) {}

Model::Model(xgb::Booster booster, ModelMetadata metadata, Attributes attributes)
    : booster_(std::move(booster)), metadata_(std::move(metadata)) {
  if (attributes == Attributes::write) {
    booster_.set_feature_names(metadata_.feature_names);
    for (const auto& [key, value] : metadata_attributes(metadata_)) booster_.set_attribute(key, value);
  }
  if (std::optional<FlatTrees> flat = FlatTrees::from_model_json(booster_.save_json()))
    flat_trees_ = std::make_shared<const FlatTrees>(std::move(*flat));
  set_predict_options(options_);
}

Model Model::load(const std::filesystem::path& path) { return from_json(read_whole_file(path), path.string()); }

Model Model::from_json(std::string_view text, const std::string& origin) {
  return from_json(text, origin, kFeatureSetName);
}

Model Model::from_json(std::string_view text, const std::string& origin, std::string_view feature_set) {
  const json outline = outline_of(text, origin);
  check_is_xgboost_model(outline, origin);
  check_predicts_probabilities(outline, origin);
  xgb::Booster booster;
  try {
    booster.load_json(text);
  } catch (const Error& e) {
    fail("{}: {}", origin, e.what());
  }
  ModelMetadata metadata;
  try {
    metadata = metadata_from_attributes(attributes_of(booster), booster.feature_names());
  } catch (const Error& e) {
    fail("{}: not a botd model: {}", origin, e.what());
  }
  check_features_computable(metadata, booster.feature_count(), feature_set, origin);
  std::optional<std::string> host_stage = booster.attribute(std::string(kHostModelAttribute));
  Model model(std::move(booster), std::move(metadata), Attributes::keep);
  if (host_stage && feature_set == kFeatureSetName)
    model.host_model_ =
        std::make_shared<Model>(from_json(*host_stage, origin + " (its host model)", kHostFeatureSetName));
  return model;
}

void Model::set_host_model(Model host_model) {
  booster_.set_attribute(std::string(kHostModelAttribute), host_model.to_json());
  host_model_ = std::make_shared<Model>(std::move(host_model));
}

void Model::save(OutputFile& out) const { out.write(to_json()); }

void Model::save(const std::string& path) const {
  OutputFile out(path);
  save(out);
  out.commit();
}

std::string Model::to_json() const { return booster_.save_json(); }

void Model::set_predict_options(const PredictOptions& options) {
  options_ = options;
  options_.batch_rows = std::max<size_t>(options_.batch_rows, 1);
  booster_.set_param("nthread", std::to_string(options_.threads));
  booster_.config_json();  // configures now, not lazily inside a concurrent predict()
  if (host_model_) host_model_->set_predict_options(options);
}

std::vector<size_t> Model::column_map(const FeatureMatrix& features) const {
  std::unordered_map<std::string_view, size_t> matrix_column;
  for (size_t i = 0; i < features.names.size(); ++i) matrix_column.emplace(features.names[i], i);
  std::vector<size_t> columns;
  std::vector<std::string> missing;
  for (const std::string& name : metadata_.feature_names) {
    auto it = matrix_column.find(name);
    if (it == matrix_column.end())
      missing.push_back(name);
    else
      columns.push_back(it->second);
  }
  if (!missing.empty())
    fail("the feature matrix lacks {} feature{} the model needs: {}", missing.size(), missing.size() == 1 ? "" : "s",
         joined(missing));
  return columns;
}

std::vector<float> Model::predict(const FeatureMatrix& features) const { return predict_rows(features, nullptr); }

std::vector<float> Model::predict(const FeatureMatrix& features, std::span<const size_t> rows) const {
  for (const size_t row : rows)
    if (row >= features.rows()) fail("row {} of a feature matrix of {} rows", row, features.rows());
  return predict_rows(features, &rows);
}

std::vector<float> Model::predict_rows(const FeatureMatrix& features, const std::span<const size_t>* row_list) const {
  const std::vector<size_t> columns = column_map(features);
  if (features.values.size() != features.rows() * features.columns())
    fail("the feature matrix has {} values, not a multiple of its {} columns", features.values.size(),
         features.columns());
  const size_t rows = row_list ? row_list->size() : features.rows();
  const bool same_layout = features.columns() == columns.size() && is_identity(columns);
  std::vector<float> probabilities;
  probabilities.reserve(rows);
  std::vector<float> batch;
  for (size_t first = 0; first < rows; first += options_.batch_rows) {
    const size_t count = std::min(options_.batch_rows, rows - first);
    const float* values = features.values.data() + first * features.columns();
    if (!same_layout || row_list) {
      gather(features, columns, row_list, first, count, batch);
      values = batch.data();
    }
    if (flat_trees_ && !options_.xgboost)
      flat_trees_->predict(values, count, columns.size(), options_.threads, probabilities);
    else
      booster_.predict_dense(values, count, columns.size(), probabilities);
  }
  return probabilities;
}

}  // namespace botd
