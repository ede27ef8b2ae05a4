// The host-window stage's features (feature set "botd-host-v2", docs/detection.md): what one
// host did in one window, as the host-window model sees it. Two views side by side:
// - its behaviour (features/host_behaviour.h): rhythm, name resolution, fan-out, floods;
// - the flow model's verdicts on the flows it started: how many, the highest and mean
//   probability, the share at or above the flow model's threshold.
// Only hosts inside the LAN have rows (and channels: the Internet's hosts are not followed,
// which keeps memory to the LAN's channels). A host's row covers the flows it is the source
// of: a gateway or resolver that only answers others has no row of its own for their flows,
// and a host attacked from the Internet is the destination of the attack. Like the flow features, nothing here names an address.
//
// HostWindowStage follows the channels across windows: add_window() once per window (windows
// overlap; each flow enters the channels once), then rows() for each flow model's
// probabilities.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "features/feature_set.h"
#include "features/host_behaviour.h"
#include "flow/flow_record.h"

namespace botd {

constexpr std::string_view kHostFeatureSetName = "botd-host-v2";

// The feature names of a feature set botd computes (botd-flow-v1, botd-host-v2); nullptr for
// any other.
const std::vector<std::string>* feature_names_of_set(std::string_view feature_set);

// behaviour_names(), then flows, max_probability, mean_probability, flagged_share.
const std::vector<std::string>& host_feature_names();

struct HostWindowRows {
  std::vector<std::string> hosts;  // in address text order
  FeatureMatrix features;          // one row per host, host_feature_names() columns
};

class HostWindowStage {
 public:
  // `lan`: the addresses inside the LAN (the hosts followed; external peers and resolvers).
  explicit HostWindowStage(LanNetworks lan);

  // Feeds the flows of a window that the previous windows did not hold to the channels.
  // Windows come in order; `window_end_ns` is the window's end (INT64_MAX: the whole input).
  // `flows` must stay alive until the next add_window(): rows() and behaviour() read them.
  void add_window(std::span<const FlowRecord> flows, int64_t window_start_ns, int64_t window_end_ns);

  // The rows of the window add_window() saw last, for the source hosts `wanted` accepts.
  // `probabilities`: the flow model's, one per flow; `threshold`: the flow model's.
  HostWindowRows rows(std::span<const FlowRecord> flows, std::span<const float> probabilities, float threshold,
                      const std::function<bool(const std::string&)>& wanted) const;
  // The behaviour of the last window's source hosts, computed on the first call after
  // add_window(): a window whose hosts are all harmless, scored without a host-window model,
  // never needs it.
  const HostBehaviours& behaviour() const;

 private:
  LanNetworks lan_;
  ChannelTracker channels_;
  int64_t seen_until_ns_ = INT64_MIN;  // flows starting before this entered the channels
  std::span<const FlowRecord> window_flows_;                        // of the last window
  mutable std::optional<HostBehaviours> behaviour_;  // of them, by source host
};

}  // namespace botd
