#include "model/prediction_memo.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>

namespace botd {

PredictionMemo::PredictionMemo(std::vector<const Model*> models) : models_(std::move(models)) {}

size_t PredictionMemo::Table::home(const RowKey& key) const {
  return size_t(key.low) & (keys.size() - 1);  // the hash's bits are already mixed
}

size_t PredictionMemo::Table::find(const RowKey& key) const {
  const size_t mask = keys.size() - 1;
  size_t slot = home(key);
  while (!(keys[slot] == key) && !(keys[slot] == RowKey{})) slot = (slot + 1) & mask;
  return slot;
}

void PredictionMemo::Table::reset(size_t rows, size_t models) {
  const size_t slots = std::bit_ceil(std::max<size_t>(16, 2 * rows));
  keys.assign(slots, RowKey{});
  probabilities.resize(slots * models);
  used = 0;
}

void PredictionMemo::Table::make_room(size_t more, size_t models) {
  if (2 * (used + more) <= keys.size()) return;
  Table grown;
  grown.reset(used + more, models);
  for (size_t slot = 0; slot < keys.size(); ++slot) {
    if (keys[slot] == RowKey{}) continue;
    const size_t to = grown.find(keys[slot]);
    grown.keys[to] = keys[slot];
    std::copy_n(probabilities.begin() + ptrdiff_t(slot * models), models,
                grown.probabilities.begin() + ptrdiff_t(to * models));
  }
  grown.used = used;
  *this = std::move(grown);
}

void PredictionMemo::start_window(size_t rows) {
  std::swap(current_, previous_);
  current_.reset(rows, models_.size());
}

void PredictionMemo::predict(const FeatureMatrix& block, size_t first,
                             std::vector<std::vector<float>>& probabilities) {
  const size_t models = models_.size();
  const size_t row_bytes = block.columns() * sizeof(float);
  current_.make_room(block.rows(), models);  // a window longer than start_window() said
  slot_of_row_.resize(block.rows());
  rows_to_predict_.clear();
  row_keys_.resize(block.rows());
  for (size_t r = 0; r < block.rows(); ++r) {
    const XXH128_hash_t hash = XXH3_128bits(block.row(r).data(), row_bytes);
    row_keys_[r] = {hash.low64, hash.high64};
    if (row_keys_[r] == RowKey{}) row_keys_[r].low = 1;  // all-zero marks a free slot
  }
  // The tables are megabytes: a key's slots are fetched a few rows ahead of their lookup,
  // which otherwise waits for memory twice a row. Inlined by force: GCC takes a call that
  // only prefetches for one without effect, and drops it.
  constexpr size_t kAhead = 8;
  const auto fetch = [this](const RowKey& key) __attribute__((always_inline)) {
    __builtin_prefetch(&current_.keys[current_.home(key)]);
    if (!previous_.keys.empty()) __builtin_prefetch(&previous_.keys[previous_.home(key)]);
  };
  for (size_t r = 0; r < std::min(kAhead, block.rows()); ++r) fetch(row_keys_[r]);
  for (size_t r = 0; r < block.rows(); ++r) {
    if (r + kAhead < block.rows()) fetch(row_keys_[r + kAhead]);
    const RowKey& key = row_keys_[r];
    const size_t slot = current_.find(key);
    slot_of_row_[r] = slot;
    if (current_.keys[slot] == key) continue;  // this window's: known, or predicted in this block
    current_.keys[slot] = key;
    ++current_.used;
    const size_t before = previous_.keys.empty() ? 0 : previous_.find(key);
    if (!previous_.keys.empty() && previous_.keys[before] == key)
      std::copy_n(previous_.probabilities.begin() + ptrdiff_t(before * models), models,
                  current_.probabilities.begin() + ptrdiff_t(slot * models));
    else
      rows_to_predict_.push_back(r);
  }

  // The rows seen in neither window go to the models together.
  if (!rows_to_predict_.empty()) {
    for (size_t m = 0; m < models; ++m) {
      const std::vector<float> predicted = models_[m]->predict(block, rows_to_predict_);
      for (size_t u = 0; u < rows_to_predict_.size(); ++u)
        current_.probabilities[slot_of_row_[rows_to_predict_[u]] * models + m] = predicted[u];
    }
  }
  predicted_ += rows_to_predict_.size();
  recalled_ += block.rows() - rows_to_predict_.size();

  for (size_t m = 0; m < models; ++m)
    for (size_t r = 0; r < block.rows(); ++r)
      probabilities[m][first + r] = current_.probabilities[slot_of_row_[r] * models + m];
}

}  // namespace botd
