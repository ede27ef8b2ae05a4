#include "model/model_metadata.h"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/time_format.h"
#include "io/json_writer.h"

namespace botd {
namespace {

using nlohmann::json;

constexpr const char* kHowToAdd =
    "a model trained elsewhere needs the attributes botd.feature_set and botd.threshold, e.g. "
    "booster.set_attr(**{'botd.feature_set': 'botd-flow-v1', 'botd.threshold': '0.5'})";

std::optional<std::string> find(const std::map<std::string, std::string>& attributes, const std::string& key) {
  auto it = attributes.find(key);
  if (it == attributes.end()) return std::nullopt;
  return it->second;
}

std::string required(const std::map<std::string, std::string>& attributes, const std::string& key) {
  std::optional<std::string> value = find(attributes, key);
  if (!value) fail("lacks the {} attribute ({})", key, kHowToAdd);
  return *value;
}

template <typename Number>
Number number_in(const std::string& text, const std::string& key) {
  Number value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) fail("malformed {} attribute: '{}'", key, text);
  return value;
}

int64_t seconds_in(const std::string& text, const std::string& key) {
  std::optional<int64_t> duration_ns = parse_seconds(text);
  if (!duration_ns) fail("malformed {} attribute: '{}' (seconds)", key, text);
  return *duration_ns;
}

json parsed(const std::string& text, const std::string& key) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    fail("malformed {} attribute: not JSON: {}", key, e.what());
  }
}

// ---- The JSON-valued attributes

// JSON text of the attributes, compact, keys in alphabetical order (as they have always been
// written, so that a model trained again is the same file).
std::string features_json(const std::vector<std::string>& names) {
  JsonWriter text(JsonWriter::Layout::compact);
  text.begin_array();
  for (const std::string& name : names) text.text(name);
  text.end_array();
  return text.str();
}

std::string inputs_json(const std::vector<TrainingInput>& inputs) {
  JsonWriter text(JsonWriter::Layout::compact);
  text.begin_array();
  for (const TrainingInput& input : inputs) {
    text.begin_object();
    text.key("bytes").count(input.bytes);
    text.key("name").text(input.name);
    text.key("sha256").text(input.sha256);
    text.end_object();
  }
  text.end_array();
  return text.str();
}

std::vector<TrainingInput> inputs_from(const std::string& text) {
  const std::string key = "botd.inputs";
  try {
    std::vector<TrainingInput> inputs;
    for (const json& entry : parsed(text, key))
      inputs.push_back({entry.at("name").get<std::string>(), entry.at("bytes").get<uint64_t>(),
                        entry.at("sha256").get<std::string>()});
    return inputs;
  } catch (const json::exception& e) {
    fail("malformed {} attribute: {}", key, e.what());
  }
}

std::string validation_json(const ValidationMetrics& metrics) {
  JsonWriter text(JsonWriter::Layout::compact);
  text.begin_object();
  text.key("auc").real(metrics.auc, 6);
  text.key("best_iteration").integer(metrics.best_iteration);
  text.key("f1").real(metrics.f1, 6);
  text.key("part").text(metrics.part);
  text.key("positives").count(metrics.positives);
  text.key("precision").real(metrics.precision, 6);
  text.key("recall").real(metrics.recall, 6);
  text.key("rows").count(metrics.rows);
  // The threshold's shortest decimal text, so that the JSON shows 0.4213, not 0.42129999...
  text.key("threshold").real(number_in<double>(format_threshold(metrics.threshold), "botd.validation"), 6);
  text.end_object();
  return text.str();
}

ValidationMetrics validation_from(const std::string& text) {
  const std::string key = "botd.validation";
  try {
    const json object = parsed(text, key);
    ValidationMetrics metrics;
    metrics.rows = object.at("rows").get<uint64_t>();
    metrics.positives = object.at("positives").get<uint64_t>();
    metrics.auc = object.at("auc").get<double>();
    metrics.f1 = object.at("f1").get<double>();
    metrics.precision = object.at("precision").get<double>();
    metrics.recall = object.at("recall").get<double>();
    // Decimal -> double -> float rounds as decimal -> float would: a double has more than
    // twice a float's precision (Figueroa's double-rounding theorem).
    metrics.threshold = float(object.at("threshold").get<double>());
    metrics.best_iteration = object.at("best_iteration").get<int>();
    metrics.part = object.value("part", "validation");
    return metrics;
  } catch (const json::exception& e) {
    fail("malformed {} attribute: {}", key, e.what());
  }
}

std::vector<std::string> features_from(const std::string& text) {
  try {
    return parsed(text, "botd.features").get<std::vector<std::string>>();
  } catch (const json::exception& e) {
    fail("malformed botd.features attribute: {}", e.what());
  }
}

std::vector<std::string> feature_names_of(const std::map<std::string, std::string>& attributes,
                                          const std::vector<std::string>& xgboost_feature_names) {
  std::optional<std::string> recorded = find(attributes, "botd.features");
  if (!recorded) {
    if (xgboost_feature_names.empty())
      fail("has no feature names (neither XGBoost's feature_names nor a botd.features attribute)");
    return xgboost_feature_names;
  }
  std::vector<std::string> names = features_from(*recorded);
  if (!xgboost_feature_names.empty() && names != xgboost_feature_names)
    fail("its botd.features attribute and XGBoost's feature_names disagree");
  return names;
}

float threshold_from(const std::string& text) {
  const float threshold = number_in<float>(text, "botd.threshold");
  if (!(threshold >= 0.0f && threshold <= 1.0f)) fail("botd.threshold {} is not a probability (0 to 1)", text);
  return threshold;
}

}  // namespace

std::string format_threshold(float threshold) { return fmt::format("{}", threshold); }

std::map<std::string, std::string> metadata_attributes(const ModelMetadata& metadata) {
  std::map<std::string, std::string> attributes = {
      {"botd.feature_set", metadata.feature_set},
      {"botd.features", features_json(metadata.feature_names)},
      {"botd.window", format_seconds(metadata.window_ns)},
      {"botd.step", format_seconds(metadata.step_ns)},
      {"botd.threshold", format_threshold(metadata.threshold)},
      {"botd.inputs", inputs_json(metadata.inputs)},
      {"botd.rows", std::to_string(metadata.rows)},
      {"botd.positives", std::to_string(metadata.positives)},
      {"botd.negatives", std::to_string(metadata.negatives)},
      {"botd.version", metadata.version},
  };
  if (metadata.validation) attributes["botd.validation"] = validation_json(*metadata.validation);
  return attributes;
}

ModelMetadata metadata_from_attributes(const std::map<std::string, std::string>& attributes,
                                       const std::vector<std::string>& xgboost_feature_names) {
  ModelMetadata metadata;
  metadata.feature_set = required(attributes, "botd.feature_set");
  metadata.threshold = threshold_from(required(attributes, "botd.threshold"));
  metadata.feature_names = feature_names_of(attributes, xgboost_feature_names);
  if (auto text = find(attributes, "botd.window")) metadata.window_ns = seconds_in(*text, "botd.window");
  if (auto text = find(attributes, "botd.step")) metadata.step_ns = seconds_in(*text, "botd.step");
  if (auto text = find(attributes, "botd.inputs")) metadata.inputs = inputs_from(*text);
  if (auto text = find(attributes, "botd.rows")) metadata.rows = number_in<uint64_t>(*text, "botd.rows");
  if (auto text = find(attributes, "botd.positives"))
    metadata.positives = number_in<uint64_t>(*text, "botd.positives");
  if (auto text = find(attributes, "botd.negatives"))
    metadata.negatives = number_in<uint64_t>(*text, "botd.negatives");
  if (auto text = find(attributes, "botd.validation")) metadata.validation = validation_from(*text);
  if (auto text = find(attributes, "botd.version")) metadata.version = *text;
  return metadata;
}

}  // namespace botd
