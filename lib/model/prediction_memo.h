// PredictionMemo: the models' probabilities of the feature rows of this window and the one
// before, so that a row alike one seen before is not predicted again (issue 13, deliver 2).
//
// With 300 s windows every 150 s every flow is in two windows, and a host's flows are much
// alike. The trees only ask, of each feature, which side of a threshold it is on: two rows
// whose every feature lies between the same two thresholds of the models' trees (or is
// missing in both) go down the same paths and get the same probability, bit for bit. So a row
// is known by those intervals, not by its bytes: on the benchmark capture 98% of the rows are
// alike one of their own window or of the window before (41% were equal byte for byte): the
// trees, which were the largest single cost of a report, are 1% of its samples, the keys 13%.
//
// A row's key is a 128-bit hash (XXH3) of its intervals: two different keys share one with a
// probability of 2^-128 per pair, so the probabilities are those of predicting every row, bit
// for bit (tests compare, also on rows at, just beside and between the thresholds). Rows are
// predicted independently, so which rows go to the model together changes nothing. When a
// model's trees are not botd's to read (model/flat_trees.h), rows are known by their bytes.
//
// Not thread-safe: one window's rows at a time, from one thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
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

  // A row is known by the interval each column's value falls in between the thresholds that
  // the models' trees compare the column with (FlatTrees::thresholds): rows alike there take
  // the same paths down every tree. Columns no tree reads are left out. Made for the matrix
  // layout of the first block; when a model's trees are not botd's, rows are known by bytes.
  static constexpr uint16_t kMissingBin = 0xffff;
  struct ColumnBins {
    size_t column;
    int steps;                      // thresholds.size() == 2^steps
    std::vector<float> thresholds;  // ascending, then NaN up to 2^steps
  };
  void make_bins(const FeatureMatrix& block);
  RowKey key_of(std::span<const float> row);
  // The bins of `row`'s values in `columns`, all of `Steps` search steps, into bin[0..].
  template <int Steps>
  static void bin_columns(std::span<const ColumnBins> columns, const float* row, uint16_t* bin);

  std::vector<const Model*> models_;
  std::vector<std::string> bins_layout_;  // the column names the bins were made for
  std::vector<ColumnBins> bins_;  // by search length
  struct BinRun {
    size_t first, last;  // bins_[first, last) have the same search length
  };
  std::vector<BinRun> bin_runs_;
  bool by_bytes_ = false;
  std::vector<uint16_t> row_bins_;
  Table current_, previous_;
  // Storage reused from block to block.
  std::vector<RowKey> row_keys_;
  std::vector<size_t> slot_of_row_;
  std::vector<size_t> rows_to_predict_;
  uint64_t predicted_ = 0, recalled_ = 0;
};

}  // namespace botd
