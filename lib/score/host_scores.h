// HostScorer: the score stage (SPEC §6). For one model, window after window, it turns the
// model's per-flow probabilities into one ScoreRow per LAN host that took part in a flow of
// the window: counts, probabilities, the window's risk, the smoothed score, the status and the
// evidence (score/evidence.h). A host keeps its score between windows (score/score_policy.h).
//
// Counting: a flow counts in `flows` for each LAN end (a flow between two LAN hosts counts for
// both). Flagged flows and probabilities count only for the ends a flow is answerable to: its
// source, and its destination when argus is unsure of the direction (host_scores.cc says
// why). The "new" counts hold only the flows that start in the window's first step, so that
// summing them over overlapping windows counts every flow once (SPEC §8: rows are additive).
//
// Rows come in host address order. Windows must come in index order.
// Not thread-safe; one HostScorer per model.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "features/host_behaviour.h"
#include "flow/flow_record.h"
#include "core/lan_networks.h"
#include "score/score_policy.h"
#include "score/score_row.h"
#include "window/window_clock.h"

namespace botd {

// What the host stage (features/host_window.h) saw of the window's hosts.
struct HostContext {
  // The behaviour of each source host: a host whose risk reaches kBehaviourEvidenceRisk has
  // its notable behaviours named first in its evidence (score/evidence.h).
  // Called only for such hosts: behaviour is computed when a window needs it.
  std::function<const HostBehaviours&()> behaviour;
  // The host-window model's probability of each host that started a flow, when the model has
  // one: a host's risk is then this probability (0 for a host that started no flow in the
  // window: it only answered or was attacked) instead of its flows' highest probability.
  std::optional<std::map<std::string, float, std::less<>>> host_probability;
  float host_threshold = 0.5f;  // the host-window model's (score_policy.h: host_risk)
};

class HostScorer {
 public:
  // `step_ns`: the windows' step (0 for one whole-input window: every flow is new).
  HostScorer(std::string model_name, float threshold, ScorePolicy policy, int64_t step_ns);

  // A window risk from which the evidence names the host's behaviours.
  static constexpr double kBehaviourEvidenceRisk = 0.5;

  // Scores one window's flows; `probabilities` has one entry per flow. `context`: what the
  // host stage saw, or nullptr.
  std::vector<ScoreRow> score_window(const Window& window, std::span<const FlowRecord> flows,
                                     std::span<const float> probabilities, const LanNetworks& lan,
                                     const HostContext* context = nullptr);

 private:
  std::string model_name_;
  float threshold_;
  ScorePolicy policy_;
  int64_t step_ns_;
  std::unordered_map<std::string, HostTrack> tracks_;
};

}  // namespace botd
