#include "features/host_window.h"

#include <algorithm>

namespace botd {

const std::vector<std::string>& host_feature_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all = behaviour_names();
    for (const char* name : {"flows", "max_probability", "mean_probability", "flagged_share"}) all.push_back(name);
    return all;
  }();
  return names;
}

const std::vector<std::string>* feature_names_of_set(std::string_view feature_set) {
  if (feature_set == kFeatureSetName) return &feature_names();
  if (feature_set == kHostFeatureSetName) return &host_feature_names();
  return nullptr;
}

HostWindowStage::HostWindowStage(LanNetworks lan) : lan_(std::move(lan)) {}

void HostWindowStage::add_window(std::span<const FlowRecord> flows, int64_t window_start_ns, int64_t window_end_ns) {
  for (const FlowRecord& flow : flows)
    if (flow.start_ns >= seen_until_ns_ && lan_.contains(flow.src_ip, flow.src_addr)) channels_.add(flow);
  seen_until_ns_ = std::max(seen_until_ns_, window_end_ns);
  channels_.forget_idle(window_start_ns);
  window_flows_ = flows;
  behaviour_.reset();
}

const HostBehaviours& HostWindowStage::behaviour() const {
  if (!behaviour_) behaviour_ = compute_behaviour(window_flows_, channels_, lan_);
  return *behaviour_;
}

HostWindowRows HostWindowStage::rows(std::span<const FlowRecord> flows, std::span<const float> probabilities,
                                     float threshold, const std::function<bool(const std::string&)>& wanted) const {
  struct Verdicts {
    uint64_t flows = 0, flagged = 0;
    double sum = 0, max = 0;
  };
  std::map<std::string_view, Verdicts> verdicts;
  for (size_t i = 0; i < flows.size(); ++i) {
    if (!behaviour().contains(flows[i].src_addr)) continue;  // outside the LAN
    Verdicts& v = verdicts[flows[i].src_addr];
    ++v.flows;
    v.flagged += probabilities[i] >= threshold;
    v.sum += probabilities[i];
    v.max = std::max(v.max, double(probabilities[i]));
  }
  HostWindowRows rows;
  rows.features.names = host_feature_names();
  for (const auto& [host, behaviour] : behaviour()) {
    if (!wanted(host)) continue;
    const Verdicts& v = verdicts.at(host);
    rows.hosts.push_back(host);
    std::vector<float> values = behaviour_values(behaviour);
    values.insert(values.end(), {float(v.flows), float(v.max), float(v.sum / double(v.flows)),
                                 float(double(v.flagged) / double(v.flows))});
    rows.features.values.insert(rows.features.values.end(), values.begin(), values.end());
  }
  return rows;
}

}  // namespace botd
