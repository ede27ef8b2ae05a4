#include "score/host_scores.h"

#include <algorithm>
#include <limits>

#include "core/net_address.h"
#include "score/evidence.h"

namespace botd {
namespace {

// What one host did in the window, while the window's flows are counted.
struct HostTally {
  uint64_t flows = 0, new_flows = 0;            // every flow the host took part in
  uint64_t flagged = 0, new_flagged = 0;        // of the flows it is answerable for
  uint64_t answerable = 0;
  double probability_sum = 0, max_probability = 0;
  std::vector<const FlowRecord*> flagged_flows;
};

// Whether a flow's probability speaks about this end of it: the source always; the
// destination only when argus was not sure who started the flow (a '?' in Dir, a record of a
// connection that began before the window) or saw only the destination send ("<-"). So a
// LAN server that answers a bot (its DNS resolver, a web server it hits, the gateway it asks
// for an ARP address) is not blamed for the bot's flows, while the records argus writes
// reversed for a long C&C connection still count for the bot.
bool answerable_for(const FlowRecord& flow, bool is_source) {
  return is_source || flow.dir.find('?') != std::string::npos || flow.dir == "<-";
}

int64_t flow_end_ns(const FlowRecord& flow) {
  return flow.start_ns + int64_t(flow.duration_s.value_or(0) * 1e9);
}

}  // namespace

HostScorer::HostScorer(std::string model_name, float threshold, ScorePolicy policy, int64_t step_ns)
    : model_name_(std::move(model_name)), threshold_(threshold), policy_(policy), step_ns_(step_ns) {}

std::vector<ScoreRow> HostScorer::score_window(const Window& window, std::span<const FlowRecord> flows,
                                               std::span<const float> probabilities, const LanNetworks& lan,
                                               const HostContext* context) {
  const bool whole_input = window.end_ns == std::numeric_limits<int64_t>::max();
  const int64_t new_until_ns = whole_input || step_ns_ == 0 ? window.end_ns : window.start_ns + step_ns_;
  int64_t end_ns = whole_input ? window.start_ns : window.end_ns;
  std::unordered_map<std::string_view, HostTally> tallies;
  for (size_t i = 0; i < flows.size(); ++i) {
    const FlowRecord& flow = flows[i];
    if (whole_input) end_ns = std::max(end_ns, flow_end_ns(flow));
    const bool flagged = probabilities[i] >= threshold_;
    const bool is_new = flow.start_ns < new_until_ns;
    for (const bool source : {true, false}) {
      if (!source && flow.dst_addr == flow.src_addr) break;
      const SmallString& end = source ? flow.src_addr : flow.dst_addr;
      if (!lan.contains(source ? flow.src_ip : flow.dst_ip, end)) continue;
      HostTally& tally = tallies[end];
      ++tally.flows;
      tally.new_flows += is_new;
      if (!answerable_for(flow, source)) continue;
      ++tally.answerable;
      tally.flagged += flagged;
      tally.new_flagged += is_new && flagged;
      tally.probability_sum += probabilities[i];
      tally.max_probability = std::max(tally.max_probability, double(probabilities[i]));
      // ARP says who asked for an address, nothing about what a host did: never evidence.
      if (flagged && flow.proto != "arp") tally.flagged_flows.push_back(&flow);
    }
  }

  std::vector<std::pair<IpAddress, std::string_view>> hosts;
  hosts.reserve(tallies.size());
  for (const auto& [host, tally] : tallies) hosts.emplace_back(IpAddress::parse(host).value_or(IpAddress()), host);
  std::sort(hosts.begin(), hosts.end());

  std::vector<ScoreRow> rows;
  rows.reserve(hosts.size());
  for (const auto& [address, host] : hosts) {
    const HostTally& tally = tallies.at(host);
    ScoreRow row;
    row.window_start_ns = window.start_ns;
    row.window_end_ns = end_ns;
    row.model = model_name_;
    row.host = std::string(host);
    row.flows = tally.flows;
    row.flagged_flows = tally.flagged;
    row.new_flows = tally.new_flows;
    row.new_flagged_flows = tally.new_flagged;
    row.mean_probability = tally.answerable == 0 ? 0 : round_to_micro(tally.probability_sum / double(tally.answerable));
    row.max_probability = round_to_micro(tally.max_probability);
    std::optional<double> host_probability;
    if (context && context->host_probability) {
      const auto it = context->host_probability->find(host);
      host_probability =
          it == context->host_probability->end() ? 0.0 : host_risk(it->second, context->host_threshold);
    }
    row.risk = policy_.risk({row.flows, row.flagged_flows, row.mean_probability, row.max_probability}, host_probability);
    HostTrack& track = tracks_[row.host];
    row.status = policy_.advance(track, window.index, row.risk);
    row.score = track.score;
    row.evidence = describe_flagged_flows(host, tally.flagged_flows);
    // What the host did that stands out comes first, in behaviours.
    if (context && context->behaviour && row.risk >= kBehaviourEvidenceRisk) {
      const HostBehaviours& behaviours = context->behaviour();
      const auto behaviour = behaviours.find(row.host);
      if (behaviour != behaviours.end())
        if (std::string said = describe_behaviour(behaviour->second); !said.empty())
          row.evidence = row.evidence.empty() ? said : said + "; " + row.evidence;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace botd
