#include "model/xgboost_api.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <cstdint>
#include <utility>

#include "core/error.h"

namespace botd::xgb {
namespace {

// "[04:24:17] ./src/common/json.cc:407: Expecting ..." -> "Expecting ...".
std::string_view without_log_prefix(std::string_view line) {
  if (line.starts_with('[')) {
    const size_t end = line.find("] ");
    if (end != std::string_view::npos) line.remove_prefix(end + 2);
  }
  const size_t colon = line.find(": ");
  if (colon != std::string_view::npos) {
    const std::string_view location = line.substr(0, colon);
    const bool is_source_location = location.find(' ') == std::string_view::npos &&
                                    (location.find(".cc:") != std::string_view::npos ||
                                     location.find(".h:") != std::string_view::npos);
    if (is_source_location) line.remove_prefix(colon + 2);
  }
  return line;
}

bool readable(std::string_view text) {
  if (text.empty()) return false;
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\t') || c >= 0x7f) return false;
  return true;
}

std::vector<std::string> copy_strings(const char** strings, bst_ulong count) {
  std::vector<std::string> copied;
  copied.reserve(count);
  for (bst_ulong i = 0; i < count; ++i) copied.emplace_back(strings[i]);
  return copied;
}

std::vector<const char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<const char*> pointers;
  pointers.reserve(strings.size());
  for (const std::string& s : strings) pointers.push_back(s.c_str());
  return pointers;
}

// numpy's __array_interface__ for a C-contiguous float32 matrix, as XGBoost reads it.
std::string dense_array_interface(const float* values, size_t rows, size_t columns) {
  return fmt::format(R"({{"data": [{}, true], "shape": [{}, {}], "typestr": "<f4", "version": 3}})",
                     reinterpret_cast<std::uintptr_t>(values), rows, columns);
}

// Normal prediction with every tree; NaN is missing. 1.7 requires cache_id in the config.
constexpr const char* kPredictConfig =
    R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
    R"("strict_shape": false, "missing": NaN, "cache_id": 0})";

size_t predicted_rows(const bst_ulong* shape, bst_ulong dimensions) {
  size_t rows = 1;
  for (bst_ulong i = 0; i < dimensions; ++i) rows *= shape[i];
  return rows;
}

}  // namespace

std::string last_error() {
  std::string_view text = XGBGetLastError();
  text = text.substr(0, text.find('\n'));
  text = without_log_prefix(text);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!readable(text)) return "XGBoost gave no readable reason";
  return std::string(text);
}

void check(int status, std::string_view what) {
  if (status != 0) fail("{}: {}", what, last_error());
}

// ---- DMatrix

DMatrix::DMatrix(std::span<const float> values, size_t rows, size_t columns, int threads) {
  check(XGDMatrixCreateFromMat_omp(values.data(), rows, columns, std::nanf(""), &handle_, threads),
        "cannot create an XGBoost matrix");
}

DMatrix::~DMatrix() {
  if (handle_ != nullptr) XGDMatrixFree(handle_);
}

DMatrix::DMatrix(DMatrix&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}

void DMatrix::set_weights(std::span<const float> weights) {
  check(XGDMatrixSetFloatInfo(handle_, "weight", weights.data(), weights.size()), "cannot set weights");
}

void DMatrix::set_labels(std::span<const float> labels) {
  check(XGDMatrixSetFloatInfo(handle_, "label", labels.data(), labels.size()), "cannot set labels");
}

void DMatrix::set_feature_names(const std::vector<std::string>& names) {
  std::vector<const char*> pointers = c_strings(names);
  check(XGDMatrixSetStrFeatureInfo(handle_, "feature_name", pointers.data(), pointers.size()),
        "cannot set feature names");
}

// ---- Booster

Booster::Booster() { check(XGBoosterCreate(nullptr, 0, &handle_), "cannot create an XGBoost booster"); }

Booster::Booster(const std::vector<const DMatrix*>& cached) {
  std::vector<DMatrixHandle> handles;
  for (const DMatrix* matrix : cached) handles.push_back(matrix->handle());
  check(XGBoosterCreate(handles.data(), handles.size(), &handle_), "cannot create an XGBoost booster");
}

Booster::~Booster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

Booster::Booster(Booster&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}

Booster& Booster::operator=(Booster&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) XGBoosterFree(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

void Booster::load_json(std::string_view json) {
  check(XGBoosterLoadModelFromBuffer(handle_, json.data(), json.size()), "XGBoost cannot load the model");
}

std::string Booster::save_json() const {
  bst_ulong length = 0;
  const char* bytes = nullptr;
  check(XGBoosterSaveModelToBuffer(handle_, R"({"format": "json"})", &length, &bytes), "cannot save the model");
  return std::string(bytes, length);
}

std::string Booster::config_json() const {
  bst_ulong length = 0;
  const char* text = nullptr;
  check(XGBoosterSaveJsonConfig(handle_, &length, &text), "XGBoost rejects the parameters");
  return std::string(text, length);
}

void Booster::set_param(const std::string& name, const std::string& value) {
  check(XGBoosterSetParam(handle_, name.c_str(), value.c_str()), fmt::format("cannot set parameter {}", name));
}

void Booster::set_attribute(const std::string& key, const std::string& value) {
  check(XGBoosterSetAttr(handle_, key.c_str(), value.c_str()), fmt::format("cannot set attribute {}", key));
}

std::optional<std::string> Booster::attribute(const std::string& key) const {
  const char* value = nullptr;
  int found = 0;
  check(XGBoosterGetAttr(handle_, key.c_str(), &value, &found), fmt::format("cannot read attribute {}", key));
  if (found == 0 || value == nullptr) return std::nullopt;
  return std::string(value);
}

std::vector<std::string> Booster::attribute_names() const {
  bst_ulong count = 0;
  const char** names = nullptr;
  check(XGBoosterGetAttrNames(handle_, &count, &names), "cannot list attributes");
  return copy_strings(names, count);
}

void Booster::set_feature_names(const std::vector<std::string>& names) {
  std::vector<const char*> pointers = c_strings(names);
  check(XGBoosterSetStrFeatureInfo(handle_, "feature_name", pointers.data(), pointers.size()),
        "cannot set feature names");
}

std::vector<std::string> Booster::feature_names() const {
  bst_ulong count = 0;
  const char** names = nullptr;
  check(XGBoosterGetStrFeatureInfo(handle_, "feature_name", &count, &names), "cannot read feature names");
  return copy_strings(names, count);
}

size_t Booster::feature_count() const {
  bst_ulong count = 0;
  check(XGBoosterGetNumFeature(handle_, &count), "cannot read the number of features");
  return count;
}

void Booster::update(int round, const DMatrix& training) {
  check(XGBoosterUpdateOneIter(handle_, round, training.handle()), fmt::format("training round {} failed", round));
}

int Booster::boosted_rounds() const {
  int rounds = 0;
  check(XGBoosterBoostedRounds(handle_, &rounds), "cannot count boosted rounds");
  return rounds;
}

Booster Booster::first_rounds(int rounds) const {
  BoosterHandle sliced = nullptr;
  check(XGBoosterSlice(handle_, 0, rounds, 1, &sliced), fmt::format("cannot keep the first {} rounds", rounds));
  return Booster(sliced);
}

std::vector<float> Booster::predict(const DMatrix& matrix) const {
  const bst_ulong* shape = nullptr;
  bst_ulong dimensions = 0;
  const float* predictions = nullptr;
  check(XGBoosterPredictFromDMatrix(handle_, matrix.handle(), kPredictConfig, &shape, &dimensions, &predictions),
        "prediction failed");
  return std::vector<float>(predictions, predictions + predicted_rows(shape, dimensions));
}

void Booster::predict_dense(const float* values, size_t rows, size_t columns, std::vector<float>& out) const {
  const std::string array = dense_array_interface(values, rows, columns);
  const bst_ulong* shape = nullptr;
  bst_ulong dimensions = 0;
  const float* predictions = nullptr;
  check(XGBoosterPredictFromDense(handle_, array.c_str(), kPredictConfig, nullptr, &shape, &dimensions,
                                  &predictions),
        "prediction failed");
  const size_t count = predicted_rows(shape, dimensions);
  if (count != rows) fail("prediction failed: XGBoost returned {} values for {} rows", count, rows);
  out.insert(out.end(), predictions, predictions + count);
}

}  // namespace botd::xgb
