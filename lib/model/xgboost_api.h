// A thin RAII layer over XGBoost's C API (Debian's libxgboost 1.7), private to lib/model.
//
// Every XGB* call is checked: a failure throws Error("<what>: <XGBoost's message>"), where
// the message is XGBoost's first line without its "[hh:mm:ss] file.cc:123: " prefix and stack
// trace (and a placeholder when 1.7 leaves unreadable bytes in XGBGetLastError()). Callers add
// the file or option the failure is about.
//
// Handles are owned (freed in the destructor) and move-only. Pointers XGBoost returns (names,
// predictions, buffers) are copied out before the next call, as the C API requires.
//
// Thread safety: a Booster may predict from several threads at once once configured
// (XGBoost >= 1.4 keeps its prediction buffers per thread); everything else needs one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace botd::xgb {

// Throws Error("<what>: <message>") when `status` (an XGB* return code) is not 0.
void check(int status, std::string_view what);

// XGBoost's last error, cleaned to one readable line.
std::string last_error();

// A training or evaluation matrix (XGBoost's DMatrix), copied from dense row-major floats.
class DMatrix {
 public:
  // NaN is missing. `threads` 0 means all cores.
  DMatrix(std::span<const float> values, size_t rows, size_t columns, int threads);
  ~DMatrix();
  DMatrix(DMatrix&& other) noexcept;
  DMatrix& operator=(DMatrix&&) = delete;
  DMatrix(const DMatrix&) = delete;

  void set_labels(std::span<const float> labels);
  void set_weights(std::span<const float> weights);
  void set_feature_names(const std::vector<std::string>& names);
  void* handle() const { return handle_; }

 private:
  void* handle_ = nullptr;
};

// A booster: the model, its parameters and its attributes.
class Booster {
 public:
  // An empty booster (to load a model into), or one that caches predictions for `cached`.
  Booster();
  explicit Booster(const std::vector<const DMatrix*>& cached);
  ~Booster();
  Booster(Booster&& other) noexcept;
  Booster& operator=(Booster&& other) noexcept;
  Booster(const Booster&) = delete;

  // Loading and saving (JSON text).
  void load_json(std::string_view json);
  std::string save_json() const;
  // XGBoost's internal configuration as JSON (configures the booster first, which is when
  // XGBoost checks parameter values).
  std::string config_json() const;

  void set_param(const std::string& name, const std::string& value);

  // String attributes; attribute() is nullopt for one that is not set.
  void set_attribute(const std::string& key, const std::string& value);
  std::optional<std::string> attribute(const std::string& key) const;
  std::vector<std::string> attribute_names() const;

  // XGBoost's own feature names (what Python's Booster.feature_names shows).
  void set_feature_names(const std::vector<std::string>& names);
  std::vector<std::string> feature_names() const;
  size_t feature_count() const;

  // Training.
  void update(int round, const DMatrix& training);
  int boosted_rounds() const;
  // A new booster with the trees of rounds [0, rounds).
  Booster first_rounds(int rounds) const;

  // Probabilities for every row of a DMatrix, with all trees.
  std::vector<float> predict(const DMatrix& matrix) const;
  // Inplace prediction on dense row-major floats (NaN missing), appended to `out`.
  void predict_dense(const float* values, size_t rows, size_t columns, std::vector<float>& out) const;

 private:
  explicit Booster(void* handle) : handle_(handle) {}
  void* handle_ = nullptr;
};

}  // namespace botd::xgb
