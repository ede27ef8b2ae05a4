// HostBehaviour: what a host did in a window, seen as behaviour — rhythm, failure, fan-out —
// rather than flow by flow. What bots of different families share is behaviour over time: a
// command-and-control channel that comes back at a regular rhythm, name lookups that fail,
// fan-out to many peers or targets, traffic nobody answers (docs/detection.md). These numbers
// are the same whether the flows come from a capture, a flow file or a Zeek log, and never
// name an address: who a host talks to counts only as "inside or outside the LAN" and as
// how many distinct others.
//
// Three views of one host (the source of the flows) in one window:
// - channels: a channel is (source, destination, destination port, protocol), followed across
//   windows by ChannelTracker. Its connection start times give a regularity score (below), as
//   beacon detectors score them (RITA: Bowley skewness and median absolute deviation of the
//   intervals; Stratosphere's behavioural models: the periodicity of a connection's letters).
//   Missed beats and jitter move the median little, so the score survives them.
// - name resolution: flows to port 53 (UDP or TCP): queries, the share unanswered or failed,
//   distinct resolvers, resolvers outside the LAN; and where the flows come from packets
//   (FlowRecord::dns), the share of responses that are NXDOMAIN and the distinct names asked
//   (NaN for flow files and Zeek logs, which do not carry them).
// - fan-out: distinct peers outside the LAN and the share of flows to them unanswered,
//   distinct high destination ports (>= 1024) of UDP flows (peer-to-peer), the largest
//   horizontal scan (distinct destinations on one port, most failing) and vertical scan
//   (distinct ports on one destination), SMTP destinations, and the packets of the largest
//   one-way flow (floods).
// Missing values (no DNS in the window, too few connections for a rhythm) are NaN.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/lan_networks.h"
#include "flow/flow_record.h"

namespace botd {

// How regular a series of event times is: 1 for a metronome, near 0 for no rhythm.
// intervals: the gaps between consecutive events (sorted); needs at least kMinEvents events.
struct Regularity {
  static constexpr size_t kMinEvents = 4;
  size_t events = 0;
  double median_interval_s = 0;  // the channel's period, as it looks
  // Mean of 1 - |Bowley skew| x min(1, IQR / median) and 1 - min(1, MADM / median), over
  // the intervals: lopsided or spread intervals lower it, jitter small against the period
  // and a few missed beats do not.
  double score = 0;
};
// `times_ns` in any order. Fewer than kMinEvents events: score NaN.
Regularity regularity_of(std::vector<int64_t> times_ns);

// The same score for sizes (bytes of each connection): 1 - min(1, MADM / median), so
// near-identical sizes score near 1. Fewer than kMinEvents values: NaN.
double size_regularity(std::vector<double> values);

// Follows channels across windows. add() the flows of each window as they come (by start
// time, roughly); channels idle for longer than `forget_after_ns` are dropped, so memory
// stays bounded on long inputs. A record that carries on the channel's last connection (same
// source port, starting within 2 minutes of its end: argus's hourly records of a long flow,
// Zeek's UDP connections cut after a minute of silence) adds no connection, so that flows
// from a capture and from a Zeek log of it give the same connections.
class ChannelTracker {
 public:
  explicit ChannelTracker(int64_t forget_after_ns = int64_t(3600) * 1'000'000'000);

  void add(const FlowRecord& flow);
  // Drops channels idle since before `now_ns - forget_after_ns` (their last record ended then).
  void forget_idle(int64_t now_ns);

  struct Channel {
    std::vector<int64_t> starts_ns;  // connection start times (the last kMaxKept)
    std::vector<double> bytes, durations_s;
    int64_t first_ns = 0, last_ns = 0;  // first and last connection start
    std::string last_sport;              // of the last record, and its end: to tell a record
    int64_t last_end_ns = 0;             // that carries on a connection from a new one
  };
  static constexpr size_t kMaxKept = 256;

  // The channel `flow` belongs to; nullptr if add() has not seen it (or forgot it).
  const Channel* find(const FlowRecord& flow) const;
  size_t size() const { return channels_.size(); }

 private:
  int64_t forget_after_ns_;
  std::unordered_map<std::string, Channel> channels_;           // by source|destination|port|proto
  std::unordered_map<std::string, std::vector<std::string>> by_host_;  // source -> its channel keys
};

// The behaviour features, in this order (behaviour_names()); NaN where not applicable.
struct HostBehaviour {
  // channels
  float channels = 0;              // channels of the host seen in this window
  float best_regularity = 0;       // the most regular channel's start-time score (NaN: none has enough)
  float best_period_s = 0;         // that channel's median interval
  float best_size_regularity = 0;  // its sizes' score
  float best_duration_regularity = 0;
  float best_lifetime_s = 0;       // from its first to its last connection
  float best_connections = 0;      // its connections so far
  float regular_share = 0;         // share of the window's flows in channels scoring >= 0.8 over >= 8 connections
  // name resolution
  float dns_queries = 0;
  float dns_unanswered_share = 0;  // NaN without queries
  float dns_resolvers = 0;
  float dns_external_resolvers = 0;
  float dns_nxdomain_share = 0;    // of decoded responses; NaN without any
  float dns_names = 0;             // distinct names asked; NaN without decoded DNS
  // fan-out
  float external_peers = 0;
  float external_unanswered_share = 0;  // NaN without external flows
  float udp_high_ports = 0;
  float horizontal_scan = 0;  // most destinations on one port with at least half failing
  float vertical_scan = 0;    // most ports on one destination with at least half failing
  float smtp_destinations = 0;
  float max_oneway_packets = 0;  // packets of the largest unanswered flow

  // Not features (they name addresses): what the evidence names (score/evidence.h).
  std::string best_channel;     // "91.212.135.158:5678/tcp"
  std::string main_resolver;    // the resolver asked most
  uint64_t udp_high_peers = 0;  // destinations of UDP flows to high ports
  std::string scanned_port;     // the port of the largest horizontal scan
};

const std::vector<std::string>& behaviour_names();
// The features of `b` in behaviour_names() order.
std::vector<float> behaviour_values(const HostBehaviour& b);

// Behaviours by host address; looked up by any text (a record's SmallString, a string_view).
using HostBehaviours = std::map<std::string, HostBehaviour, std::less<>>;

// The behaviour of every source host inside the LAN of one window's flows, by host. `channels` has already
// seen these flows (ChannelTracker::add) and the earlier windows'.
HostBehaviours compute_behaviour(std::span<const FlowRecord> flows, const ChannelTracker& channels,
                                 const LanNetworks& lan);

}  // namespace botd
