#include "model/prediction_memo.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <utility>

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

// For each of `columns` (thresholds ascending, padded with NaN to 2^Steps), how many of its
// thresholds are <= the row's value, or kMissingBin: which side of every split on the column
// the value is on (x < t goes left). A binary search without branches (the values of
// neighbouring rows fall anywhere) and of a fixed length: its steps are unrolled, and the
// columns' searches, which do not wait for one another, overlap. A NaN threshold is never
// <= x, so the padding is never counted.
template <int Steps>
void PredictionMemo::bin_columns(std::span<const ColumnBins> columns, const float* row, uint16_t* bin) {
  for (const ColumnBins& column : columns) {
    const float x = row[column.column];
    const float* thresholds = column.thresholds.data();
    size_t below = 0;
    for (int step = Steps - 1; step >= 0; --step) {
      const size_t half = size_t(1) << step;
      below += thresholds[below + half - 1] <= x ? half : 0;
    }
    below += thresholds[below] <= x;
    *bin++ = std::isnan(x) ? kMissingBin : uint16_t(below);
  }
}

void PredictionMemo::make_bins(const FeatureMatrix& block) {
  bins_layout_ = block.names;
  bins_.clear();
  bin_runs_.clear();
  by_bytes_ = false;
  std::vector<std::vector<float>> by_column(block.columns());
  for (const Model* model : models_) {
    if (model->flat_trees() == nullptr) {
      by_bytes_ = true;
      return;
    }
    const std::vector<size_t> columns = model->column_map(block);
    const std::vector<std::vector<float>> thresholds = model->flat_trees()->thresholds();
    for (size_t feature = 0; feature < thresholds.size(); ++feature)
      by_column[columns[feature]].insert(by_column[columns[feature]].end(), thresholds[feature].begin(),
                                         thresholds[feature].end());
  }
  for (size_t column = 0; column < by_column.size(); ++column) {
    std::vector<float>& values = by_column[column];
    if (values.empty()) continue;
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    if (values.size() >= kMissingBin) {
      by_bytes_ = true;
      return;
    }
    const int steps = std::bit_width(values.size() - 1);
    values.resize(size_t(1) << steps, std::numeric_limits<float>::quiet_NaN());
    bins_.push_back({column, steps, std::move(values)});
  }
  // Columns of one search length together: each run is one loop of unrolled searches.
  std::stable_sort(bins_.begin(), bins_.end(),
                   [](const ColumnBins& a, const ColumnBins& b) { return a.steps < b.steps; });
  for (size_t first = 0; first < bins_.size();) {
    size_t last = first;
    while (last < bins_.size() && bins_[last].steps == bins_[first].steps) ++last;
    bin_runs_.push_back({first, last});
    first = last;
  }
}

PredictionMemo::RowKey PredictionMemo::key_of(std::span<const float> row) {
  XXH128_hash_t hash;
  if (by_bytes_) {
    hash = XXH3_128bits(row.data(), row.size_bytes());
  } else {
    // The search of each length, up to 2^16 thresholds a column (kMissingBin is the largest bin).
    using BinColumns = void (*)(std::span<const ColumnBins>, const float*, uint16_t*);
    static constexpr auto kBinColumns = []<size_t... Steps>(std::index_sequence<Steps...>) {
      return std::array<BinColumns, sizeof...(Steps)>{&bin_columns<int(Steps)>...};
    }(std::make_index_sequence<17>());
    row_bins_.resize(bins_.size());
    for (const auto& [first, last] : bin_runs_)
      kBinColumns[size_t(bins_[first].steps)](std::span(bins_).subspan(first, last - first), row.data(),
                                              row_bins_.data() + first);
    hash = XXH3_128bits(row_bins_.data(), row_bins_.size() * sizeof(uint16_t));
  }
  RowKey key{hash.low64, hash.high64};
  if (key == RowKey{}) key.low = 1;  // all-zero marks a free slot
  return key;
}

void PredictionMemo::start_window(size_t rows) {
  std::swap(current_, previous_);
  current_.reset(rows, models_.size());
}

void PredictionMemo::predict(const FeatureMatrix& block, size_t first,
                             std::vector<std::vector<float>>& probabilities) {
  const size_t models = models_.size();
  if (block.names != bins_layout_) {  // the first block (rows known by another layout's bins would not match)
    make_bins(block);
    previous_ = Table{};
    current_.reset(current_.keys.size() / 2, models);
  }
  current_.make_room(block.rows(), models);  // a window longer than start_window() said
  slot_of_row_.resize(block.rows());
  rows_to_predict_.clear();
  row_keys_.resize(block.rows());
  for (size_t r = 0; r < block.rows(); ++r) row_keys_[r] = key_of(block.row(r));
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
