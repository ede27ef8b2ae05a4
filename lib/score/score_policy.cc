#include "score/score_policy.h"

#include <cmath>

#include "core/error.h"

namespace botd {

std::string_view status_name(HostStatus status) {
  switch (status) {
    case HostStatus::red: return "red";
    case HostStatus::yellow: return "yellow";
    case HostStatus::white: break;
  }
  return "white";
}

std::optional<HostStatus> parse_status(std::string_view name) {
  for (HostStatus status : {HostStatus::white, HostStatus::yellow, HostStatus::red})
    if (name == status_name(status)) return status;
  return std::nullopt;
}

double host_risk(double probability, double threshold) {
  if (!(threshold > 0 && threshold < 1)) return probability;
  return std::pow(probability, std::log(kHostThresholdRisk) / std::log(threshold));
}

double round_to_micro(double x) { return std::round(x * 1e6) / 1e6; }

namespace {

// A score decaying without risk: (1 - alpha)·score at 6 decimals, ending at 0 once it falls
// below one micro (rounded, 0.7e-6 would stay 0.000001 forever).
double decayed(double score) {
  const double next = (1 - ScorePolicy::kAlpha) * score;
  return next < 1e-6 ? 0 : round_to_micro(next);
}

}  // namespace

ScorePolicy ScorePolicy::named(std::string_view name) {
  if (name == "botd") return ScorePolicy(Kind::botd);
  if (name == "original") return ScorePolicy(Kind::original);
  fail("--policy: unknown policy '{}' (expected botd or original)", name);
}

// botd: the host-window model's probability, which sees the host's behaviour and its flows'
// verdicts together (docs/detection.md); without one, the probability of the host's most
// suspicious flow is the window's risk. A bot's C&C
// beacon is one flow among hundreds of its user's normal ones, so the original share of
// flagged flows drowns it.
double ScorePolicy::risk(const HostWindowActivity& activity, std::optional<double> host_probability) const {
  if (activity.flows == 0) return 0;
  if (kind_ == Kind::botd && host_probability) return round_to_micro(*host_probability);
  if (kind_ == Kind::botd) return round_to_micro(activity.max_probability);
  return round_to_micro(double(activity.flagged_flows) / double(activity.flows));
}

double ScorePolicy::combined_risk(double highest_risk, const HostWindowActivity& summed) const {
  if (kind_ == Kind::botd) return highest_risk;
  return risk(summed);
}

// botd: red as soon as the smoothed score reaches 0.6 — three confident windows in a row, or
// fewer after earlier suspicion. original: 3 windows in a row that meet
// its condition (counted in HostTrack::streak).
bool ScorePolicy::meets_red_condition(double score, double previous_score) const {
  if (kind_ == Kind::botd) return score >= 0.6;
  return score >= 0.85 || (score >= 0.60 && score > previous_score);
}

int ScorePolicy::red_streak() const { return kind_ == Kind::botd ? 1 : 3; }

HostStatus ScorePolicy::advance(HostTrack& track, int64_t window_index, double risk) const {
  // Windows the host missed: risk 0 each.
  if (track.started) {
    for (int64_t missed = window_index - track.last_window - 1; missed > 0; --missed) {
      const double previous = track.score;
      track.score = decayed(track.score);
      track.streak = meets_red_condition(track.score, previous) ? track.streak + 1 : 0;
      if (track.status != HostStatus::white && track.score < 0.1) track.status = HostStatus::white;
      if (track.status == HostStatus::red && track.streak < red_streak()) track.status = HostStatus::yellow;
      if (track.score == 0) break;  // nothing left to decay
    }
  }
  const double previous = track.score;
  track.started = true;
  track.last_window = window_index;
  track.score = risk == 0 ? decayed(track.score) : round_to_micro(kAlpha * risk + (1 - kAlpha) * track.score);
  track.streak = meets_red_condition(track.score, previous) ? track.streak + 1 : 0;
  if (track.streak >= red_streak())
    track.status = HostStatus::red;
  else if (track.status != HostStatus::white && track.score >= 0.1)
    track.status = HostStatus::yellow;
  else
    track.status = HostStatus::white;
  return track.status;
}

}  // namespace botd
