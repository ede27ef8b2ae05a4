// DetectionMetrics: how well a model's host statuses match the truth (SPEC §6).
//
// The CTU-13 paper's time-based metric (Garcia et al., "An empirical comparison of botnet
// detection methods", 2014). Each window of the scores is a comparison window t = 1, 2, ...
// (in time order). In each, every host with a row whose truth role is known counts once:
//   detected (status red or yellow) and botnet: TP;  not detected and botnet: FN;
//   detected and normal: FP;                          not detected and normal: TN.
// TP and FN weigh c(t) = e^(-alpha·t) + 1 (detecting early is worth more), FP and TN weigh 1;
// each is divided by the window's number of botnet (TP, FN) or normal (FP, TN) hosts, and
// the windows' values are summed: tTP, tFN, tFP, tTN. Then TPR = tTP/(tTP+tFN),
// FPR = tFP/(tFP+tTN), precision = tTP/(tTP+tFP), and F-beta from precision and TPR.
//
// Plain per-host rates as well: an infected host is detected when it was detected in any
// window while infected; a normal host is a false positive when detected in any window while
// normal.
//
// Not thread-safe. Windows must be added in time order.
#pragma once

#include <cstdint>
#include <set>
#include <span>
#include <string>

#include "core/net_address.h"
#include "report/truth.h"
#include "score/score_row.h"

namespace botd {

// The default alpha of the weight c(t) = e^(-alpha·t) + 1 (--alpha).
constexpr double kDefaultMetricAlpha = 0.01;

struct DetectionMetrics {
  double alpha = kDefaultMetricAlpha;
  uint64_t windows = 0;
  double tp = 0, fn = 0, fp = 0, tn = 0;  // time-weighted sums
  double tpr = 0, fpr = 0, precision = 0, f1 = 0, f2 = 0, f05 = 0;
  uint64_t infected_hosts = 0, infected_detected = 0, normal_hosts = 0, normal_detected = 0;
  double host_tpr = 0, host_fpr = 0;
};

// Whether a status counts as a detection.
bool is_detection(HostStatus status);

class DetectionScorer {
 public:
  DetectionScorer(const Truth& truth, double alpha);
  // The rows of one window (one model).
  void add_window(std::span<const ScoreRow* const> rows);
  DetectionMetrics finish() const;

 private:
  const Truth& truth_;
  DetectionMetrics sums_;
  std::set<std::string> infected_, infected_detected_, normal_, normal_detected_;
};

}  // namespace botd
