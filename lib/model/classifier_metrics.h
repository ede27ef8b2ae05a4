// How well probabilities separate botnet (label 1) from normal (label 0) rows: ROC AUC, and
// the decision threshold that maximizes F1. Exact (double sums, ties handled), deterministic.
#pragma once

#include <cstdint>
#include <span>

namespace botd {

// The area under the ROC curve: the chance that a random positive scores above a random
// negative, ties counting one half (Mann-Whitney U with average ranks).
// REQUIRES: labels are 0/1, the same length as probabilities, with both classes present.
double roc_auc(std::span<const float> probabilities, std::span<const float> labels);

// Rows with probability >= threshold are flagged.
struct ThresholdChoice {
  float threshold = 0.5f;
  double f1 = 0, precision = 0, recall = 0;
  uint64_t true_positives = 0, false_positives = 0;
};

// The threshold with the highest F1 (among equal F1, the fewest flagged rows), placed halfway
// between the lowest probability it flags and the highest it does not. REQUIRES: as roc_auc().
ThresholdChoice best_f1_threshold(std::span<const float> probabilities, std::span<const float> labels);

}  // namespace botd
