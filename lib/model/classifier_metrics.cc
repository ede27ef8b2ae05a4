#include "model/classifier_metrics.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace botd {
namespace {

// (probability, is positive), sorted by probability, ascending or descending.
std::vector<std::pair<float, bool>> scored_rows(std::span<const float> probabilities, std::span<const float> labels,
                                                bool descending) {
  std::vector<std::pair<float, bool>> rows(probabilities.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = {probabilities[i], labels[i] > 0.5f};
  if (descending)
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  else
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return rows;
}

// The end of the run of equal probabilities that starts at `begin`.
size_t end_of_ties(const std::vector<std::pair<float, bool>>& rows, size_t begin) {
  size_t end = begin + 1;
  while (end < rows.size() && rows[end].first == rows[begin].first) ++end;
  return end;
}

}  // namespace

double roc_auc(std::span<const float> probabilities, std::span<const float> labels) {
  const auto rows = scored_rows(probabilities, labels, /*descending=*/false);
  double positive_rank_sum = 0;
  uint64_t positives = 0;
  for (size_t begin = 0; begin < rows.size();) {
    const size_t end = end_of_ties(rows, begin);
    const double average_rank = (double(begin + 1) + double(end)) / 2;  // ranks begin+1 .. end
    for (size_t i = begin; i < end; ++i)
      if (rows[i].second) {
        positive_rank_sum += average_rank;
        ++positives;
      }
    begin = end;
  }
  const double negatives = double(rows.size() - positives);
  const double p = double(positives);
  return (positive_rank_sum - p * (p + 1) / 2) / (p * negatives);
}

ThresholdChoice best_f1_threshold(std::span<const float> probabilities, std::span<const float> labels) {
  const auto rows = scored_rows(probabilities, labels, /*descending=*/true);
  uint64_t positives = 0;
  for (const auto& row : rows) positives += row.second;
  ThresholdChoice best;
  best.f1 = -1;
  uint64_t true_positives = 0, false_positives = 0;
  for (size_t begin = 0; begin < rows.size();) {
    const size_t end = end_of_ties(rows, begin);
    for (size_t i = begin; i < end; ++i) (rows[i].second ? true_positives : false_positives) += 1;
    // F1 = 2TP / (2TP + FP + FN) = 2TP / (TP + FP + P)
    const double f1 = 2.0 * double(true_positives) / double(true_positives + false_positives + positives);
    if (f1 > best.f1) {
      // Halfway between the lowest flagged score and the highest one left out: the same F1
      // here, and a margin both ways for new data (when validation is separable, the gap
      // can be most of [0, 1]).
      const float next_lower = end < rows.size() ? rows[end].first : 0.0f;
      const float halfway = rows[begin].first - (rows[begin].first - next_lower) / 2;
      best.threshold = halfway > next_lower ? halfway : rows[begin].first;
      best.f1 = f1;
      best.precision = double(true_positives) / double(true_positives + false_positives);
      best.recall = double(true_positives) / double(positives);
      best.true_positives = true_positives;
      best.false_positives = false_positives;
    }
    begin = end;
  }
  return best;
}

}  // namespace botd
