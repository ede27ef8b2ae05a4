// ScorePolicy: how a host's flagged flows in each window become its risk, its smoothed score
// and its status (SPEC §6; docs/detection.md says why botd's rule is what it is, with the
// measurements).
//
// Both policies smooth the risk with an exponential moving average, alpha 0.3 as in the
// original tool: score = 0.3·risk + 0.7·previous score. A window in which the host took part in
// no flow counts as risk 0 (its score decays; it gets no row).
//
//   original  risk = flagged flows / flows. Red after 3 consecutive windows whose score is
//             >= 0.85, or >= 0.60 and higher than the window before. Yellow while the previous
//             status was red or yellow and the score is >= 0.1. Else white.
//   botd      risk = the host-window model's probability for the host (score/host_scores.h),
//             or, for a model without one, the highest probability among the host's flows
//             (those it is answerable for). Red while the score is >= 0.6. Yellow while the previous status was
//             red or yellow and the score is >= 0.1. Else white. Chosen by measurement:
//             docs/detection.md.
//
// Thread safety: a ScorePolicy is immutable; each HostTrack belongs to one host.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace botd {

enum class HostStatus { white, yellow, red };
std::string_view status_name(HostStatus status);  // "white", "yellow", "red"
std::optional<HostStatus> parse_status(std::string_view name);

// What a host did in one window, as the model saw it.
struct HostWindowActivity {
  uint64_t flows = 0;          // flows the host took part in
  uint64_t flagged_flows = 0;  // of those, flows at or above the model's threshold
  double mean_probability = 0, max_probability = 0;
};

// One host's state between windows.
struct HostTrack {
  bool started = false;
  int64_t last_window = 0;  // index of the last window the host was seen in
  double score = 0;
  HostStatus status = HostStatus::white;
  int streak = 0;  // consecutive windows that met the policy's red condition
};

class ScorePolicy {
 public:
  enum class Kind { botd, original };
  static constexpr double kAlpha = 0.3;
  static constexpr std::string_view kDefaultName = "botd";  // the default --policy

  explicit ScorePolicy(Kind kind = Kind::botd) : kind_(kind) {}
  // "botd" or "original"; throws Error otherwise.
  static ScorePolicy named(std::string_view name);

  // `host_probability`: the host-window model's probability for the host, when the model has one.
  double risk(const HostWindowActivity& activity, std::optional<double> host_probability = std::nullopt) const;
  // The risk of a host in a window that several sensors saw (score/score_merge.h), from their
  // rows: botd's is the highest of their risks (each is a probability of what one sensor saw,
  // and a bot seen by one sensor is a bot); original's is its share of flagged flows over the
  // summed counts, as one sensor seeing all of it would have computed.
  double combined_risk(double highest_risk, const HostWindowActivity& summed) const;
  // Moves `track` to window `window_index` (after any windows the host missed) with this
  // window's risk, and returns the new status. Scores are rounded to 1e-6, as files hold them,
  // so that a pipeline of commands computes what one process does.
  HostStatus advance(HostTrack& track, int64_t window_index, double risk) const;

 private:
  bool meets_red_condition(double score, double previous_score) const;
  int red_streak() const;  // windows in a row meeting the red condition that make a host red
  Kind kind_;
};

// A host-window model's probability as a window's risk: scaled (a power of it) so that the
// model's threshold, chosen on validation data, gives risk kHostThresholdRisk, from which a
// host that stays there turns red after 5 windows; 0 and 1 stay 0 and 1. The model's
// probabilities are those of a weighted, class-balanced training, not calibrated ones: its
// threshold (0.97 for the measured one) says where its "botnet" starts.
constexpr double kHostThresholdRisk = 0.75;
double host_risk(double probability, double threshold);

// x rounded to 6 decimals: the precision of every probability, risk and score botd writes.
double round_to_micro(double x);

}  // namespace botd
