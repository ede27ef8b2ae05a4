// PredictionMemo: the models' probabilities of the feature rows of this window and the one
// before, so that a row seen again is not predicted again (issue 13, deliver 2).
//
// With 300 s windows every 150 s every flow is in two windows. A flow that began and ended
// inside the overlap is the same record in both, and when its hosts did the same in both
// windows its features are the same row: on the benchmark capture 41% of the rows repeat one
// of their own window or of the window before (a host's repeated lookups, the second
// window of a quiet host). Prediction is the largest single cost of a report.
//
// A row is known by a 128-bit hash of its bytes (XXH3): two different rows share one with a
// probability of 2^-128 per pair, so the probabilities are those of predicting every row, bit
// for bit (a test compares). Rows are predicted independently, so which rows go to the model
// together changes nothing.
//
// Not thread-safe: one window's rows at a time, from one thread.
#pragma once

#include <cstdint>
#include <vector>

#include "features/feature_set.h"
#include "model/model.h"

namespace botd {

class PredictionMemo {
 public:
  // The models must outlive the memo.
  explicit PredictionMemo(std::vector<const Model*> models);

  // A window of `rows` rows begins: what the window before the last predicted is forgotten.
  void start_window(size_t rows);
  // Each model's probability of every row of `block` into probabilities[model][first + row]
  // (the vectors hold the window's rows).
  void predict(const FeatureMatrix& block, size_t first, std::vector<std::vector<float>>& probabilities);

  uint64_t rows_predicted() const { return predicted_; }
  uint64_t rows_recalled() const { return recalled_; }  // rows not predicted: seen before

 private:
  struct RowKey {
    uint64_t low = 0, high = 0;
    bool operator==(const RowKey&) const = default;
  };
  // Open addressing from row keys to their probabilities (one per model), for one window.
  struct Table {
    std::vector<RowKey> keys;  // an all-zero key marks a free slot
    std::vector<float> probabilities;
    size_t used = 0;
    // Where the search for `key` starts.
    size_t home(const RowKey& key) const;
    // The slot of `key`, or where it would go (a free slot).
    size_t find(const RowKey& key) const;
    // Empty, with room for `rows` keys at most half full.
    void reset(size_t rows, size_t models);
    // Room for `more` keys besides those it holds, which it keeps.
    void make_room(size_t more, size_t models);
  };

  std::vector<const Model*> models_;
  Table current_, previous_;
  // Storage reused from block to block.
  std::vector<RowKey> row_keys_;
  std::vector<size_t> slot_of_row_;
  std::vector<size_t> rows_to_predict_;
  uint64_t predicted_ = 0, recalled_ = 0;
};

}  // namespace botd
