#include "features/host_behaviour.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "features/flow_facts.h"

namespace botd {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
// A channel counts as a rhythm (regular_share) when it scores this with this many
// connections: with 4 or 5 start times at random, one interval in four far off still scores
// above 0.8 (the robust statistics ignore it, as they should for a missed beat).
constexpr double kRegularChannel = 0.8;
constexpr size_t kRegularMinConnections = 8;
// A record of the same source port starting this soon after the last one ended carries on
// its connection: argus's hourly records of a long flow, Zeek's UDP connections cut after a
// minute of silence. New TCP connections take new source ports.
constexpr int64_t kContinuation_ns = int64_t(120) * 1'000'000'000;

std::string channel_key(const FlowRecord& flow) {
  return fmt::format("{}|{}|{}|{}", flow.src_addr, flow.dst_addr, flow.dport, flow.proto);
}

// The value at quantile q of sorted `v` (linear between neighbours).
double quantile(const std::vector<double>& v, double q) {
  const double at = q * double(v.size() - 1);
  const size_t below = size_t(at);
  if (below + 1 >= v.size()) return v.back();
  return v[below] + (at - double(below)) * (v[below + 1] - v[below]);
}

// Median absolute deviation from the median, relative to the median: 0 for identical values.
double relative_madm(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const double median = quantile(v, 0.5);
  for (double& x : v) x = std::abs(x - median);
  std::sort(v.begin(), v.end());
  const double madm = quantile(v, 0.5);
  if (median <= 0) return madm > 0 ? 1.0 : 0.0;
  return std::min(1.0, madm / median);
}

}  // namespace

Regularity regularity_of(std::vector<int64_t> times_ns) {
  Regularity r;
  r.events = times_ns.size();
  if (times_ns.size() < Regularity::kMinEvents) {
    r.score = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  std::sort(times_ns.begin(), times_ns.end());
  std::vector<double> intervals;
  for (size_t i = 1; i < times_ns.size(); ++i) intervals.push_back(double(times_ns[i] - times_ns[i - 1]) / 1e9);
  std::sort(intervals.begin(), intervals.end());
  const double q1 = quantile(intervals, 0.25), q2 = quantile(intervals, 0.5), q3 = quantile(intervals, 0.75);
  // Bowley's skewness: how lopsided the middle half of the intervals is (a jittered beat is
  // symmetric). It counts only as far as the middle half is wide against the period: a beat
  // of 60 s with intervals of 58-62 s is regular, however those few seconds fall.
  const double skew = q3 - q1 > 1e-9 ? (q3 + q1 - 2 * q2) / (q3 - q1) : 0.0;
  const double width = q2 > 0 ? std::min(1.0, (q3 - q1) / q2) : 1.0;
  r.median_interval_s = q2;
  r.score = ((1 - std::abs(skew) * width) + (1 - relative_madm(intervals))) / 2;
  return r;
}

double size_regularity(std::vector<double> values) {
  std::erase_if(values, [](double x) { return std::isnan(x); });
  if (values.size() < Regularity::kMinEvents) return std::numeric_limits<double>::quiet_NaN();
  return 1 - relative_madm(std::move(values));
}

// ---- Channels across windows

ChannelTracker::ChannelTracker(int64_t forget_after_ns) : forget_after_ns_(forget_after_ns) {}

void ChannelTracker::add(const FlowRecord& flow) {
  std::string key = channel_key(flow);
  auto [it, inserted] = channels_.try_emplace(key);
  Channel& channel = it->second;
  if (inserted) {
    channel.first_ns = flow.start_ns;
    by_host_[flow.src_addr.str()].push_back(std::move(key));
  }
  const int64_t end_ns = flow.start_ns + int64_t(flow.duration_s.value_or(0) * 1e9);
  // A record that carries on the last connection (same source port, starting soon after it
  // ended) is no new connection.
  const bool continues = !inserted && flow.sport == channel.last_sport &&
                         flow.start_ns >= channel.last_ns && flow.start_ns <= channel.last_end_ns + kContinuation_ns;
  channel.last_sport = flow.sport;
  channel.last_end_ns = std::max(channel.last_end_ns, end_ns);
  if (continues) return;
  channel.first_ns = std::min(channel.first_ns, flow.start_ns);
  channel.last_ns = std::max(channel.last_ns, flow.start_ns);
  if (channel.starts_ns.size() == kMaxKept) {
    channel.starts_ns.erase(channel.starts_ns.begin());
    channel.bytes.erase(channel.bytes.begin());
    channel.durations_s.erase(channel.durations_s.begin());
  }
  channel.starts_ns.push_back(flow.start_ns);
  channel.bytes.push_back(flow.total_bytes ? double(*flow.total_bytes) : std::nan(""));
  channel.durations_s.push_back(flow.duration_s.value_or(0));
}

void ChannelTracker::forget_idle(int64_t now_ns) {
  for (auto host = by_host_.begin(); host != by_host_.end();) {
    std::erase_if(host->second, [&](const std::string& key) {
      auto it = channels_.find(key);
      if (std::max(it->second.last_ns, it->second.last_end_ns) >= now_ns - forget_after_ns_) return false;
      channels_.erase(it);
      return true;
    });
    host = host->second.empty() ? by_host_.erase(host) : std::next(host);
  }
}

const ChannelTracker::Channel* ChannelTracker::find(const FlowRecord& flow) const {
  auto it = channels_.find(channel_key(flow));
  return it == channels_.end() ? nullptr : &it->second;
}

// ---- One window's behaviour per host

const std::vector<std::string>& behaviour_names() {
  static const std::vector<std::string> names = {
      "beh_channels",         "beh_best_regularity",      "beh_best_period_s",        "beh_best_size_regularity",
      "beh_best_duration_regularity", "beh_best_lifetime_s", "beh_best_connections", "beh_regular_share",
      "beh_dns_queries",      "beh_dns_unanswered_share", "beh_dns_resolvers",        "beh_dns_external_resolvers",
      "beh_dns_nxdomain_share", "beh_dns_names",
      "beh_external_peers",   "beh_external_unanswered_share", "beh_udp_high_ports",  "beh_horizontal_scan",
      "beh_vertical_scan",    "beh_smtp_destinations",    "beh_max_oneway_packets",
  };
  return names;
}

std::vector<float> behaviour_values(const HostBehaviour& b) {
  return {b.channels,          b.best_regularity,          b.best_period_s,   b.best_size_regularity,
          b.best_duration_regularity, b.best_lifetime_s,   b.best_connections, b.regular_share,
          b.dns_queries,       b.dns_unanswered_share,     b.dns_resolvers,   b.dns_external_resolvers,
          b.dns_nxdomain_share, b.dns_names,
          b.external_peers,    b.external_unanswered_share, b.udp_high_ports, b.horizontal_scan,
          b.vertical_scan,     b.smtp_destinations,        b.max_oneway_packets};
}

namespace {

// What one host did in the window, counted as its flows go by.
struct HostTally {
  struct ChannelSeen {
    const FlowRecord* example = nullptr;  // one of its flows, to find it in the tracker
    uint64_t flows = 0;                   // in this window
  };
  std::map<std::string, ChannelSeen> channel_flows;  // by channel key
  uint64_t flows = 0;
  uint64_t dns_queries = 0, dns_unanswered = 0;
  uint64_t dns_responses = 0, dns_nxdomain = 0;  // from packets only
  std::set<SmallString> dns_names;                // empty: no DNS decoded
  std::set<SmallString> resolvers, external_resolvers, external_peers, smtp_destinations;
  uint64_t external_flows = 0, external_unanswered = 0;
  std::set<float> udp_high_ports;
  struct Spread {
    std::set<SmallString> others;  // destinations (per port) or ports (per destination)
    uint64_t flows = 0, failed = 0;
  };
  std::map<SmallString, uint64_t> queries_by_resolver;
  std::set<SmallString> udp_high_peers;
  std::map<float, Spread> by_port;              // horizontal: destinations per port
  std::map<SmallString, Spread> by_destination;  // vertical: ports per destination
  uint64_t max_oneway_packets = 0;
};

// The most others of one spread with at least half its flows failing, and which spread.
template <typename Key>
std::pair<float, Key> largest_scan(const std::map<Key, HostTally::Spread>& spreads) {
  std::pair<float, Key> largest{0.0f, Key{}};
  for (const auto& [key, spread] : spreads)
    if (2 * spread.failed >= spread.flows && float(spread.others.size()) > largest.first)
      largest = {float(spread.others.size()), key};
  return largest;
}

}  // namespace

HostBehaviours compute_behaviour(std::span<const FlowRecord> flows, const ChannelTracker& channels,
                                 const LanNetworks& lan) {
  std::map<SmallString, HostTally> tallies;
  for (const FlowRecord& flow : flows) {
    if (!lan.contains(flow.src_ip, flow.src_addr)) continue;
    const bool internal_destination = lan.contains(flow.dst_ip, flow.dst_addr);
    const FlowFacts facts = facts_of(flow);
    HostTally& t = tallies[flow.src_addr];
    ++t.flows;
    HostTally::ChannelSeen& seen = t.channel_flows[channel_key(flow)];
    seen.example = &flow;
    ++seen.flows;
    const bool ported = facts.proto == FlowFacts::Proto::tcp || facts.proto == FlowFacts::Proto::udp;
    const bool unanswered = !facts.answered || facts.failed;
    if (ported && facts.dport == 53) {
      ++t.dns_queries;
      t.dns_unanswered += unanswered;
      t.resolvers.insert(flow.dst_addr);
      ++t.queries_by_resolver[flow.dst_addr];
      if (!internal_destination) t.external_resolvers.insert(flow.dst_addr);
      if (flow.dns.decoded()) {
        t.dns_responses += flow.dns.responses;
        t.dns_nxdomain += flow.dns.nxdomain;
        t.dns_names.insert(flow.dns.name);
      }
    }
    if (!internal_destination) {
      t.external_peers.insert(flow.dst_addr);
      ++t.external_flows;
      t.external_unanswered += unanswered;
    }
    if (facts.proto == FlowFacts::Proto::udp && facts.dport >= 1024) {
      t.udp_high_ports.insert(facts.dport);
      t.udp_high_peers.insert(flow.dst_addr);
    }
    if (ported && !std::isnan(facts.dport)) {
      HostTally::Spread& horizontal = t.by_port[facts.dport];
      horizontal.others.insert(flow.dst_addr);
      ++horizontal.flows;
      horizontal.failed += facts.failed || !facts.answered;
      HostTally::Spread& vertical = t.by_destination[flow.dst_addr];
      vertical.others.insert(flow.dport);
      ++vertical.flows;
      vertical.failed += facts.failed || !facts.answered;
    }
    if (facts.proto == FlowFacts::Proto::tcp && (facts.dport == 25 || facts.dport == 465 || facts.dport == 587))
      t.smtp_destinations.insert(flow.dst_addr);
    if (!facts.answered) t.max_oneway_packets = std::max(t.max_oneway_packets, flow.total_packets.value_or(0));
  }

  HostBehaviours behaviours;
  for (auto& [host, t] : tallies) {
    HostBehaviour& b = behaviours[host.str()];
    b.channels = float(t.channel_flows.size());
    b.best_regularity = b.best_period_s = b.best_size_regularity = b.best_duration_regularity = kNaN;
    b.best_lifetime_s = b.best_connections = kNaN;
    uint64_t regular_flows = 0;
    for (const auto& [key, seen] : t.channel_flows) {
      const ChannelTracker::Channel* channel = channels.find(*seen.example);
      if (channel == nullptr) continue;
      const Regularity rhythm = regularity_of(channel->starts_ns);
      if (std::isnan(rhythm.score)) continue;
      if (rhythm.score >= kRegularChannel && rhythm.events >= kRegularMinConnections) regular_flows += seen.flows;
      // The most regular channel; among equally regular ones, the one with more connections.
      if (!std::isnan(b.best_regularity) &&
          std::pair(rhythm.score, double(rhythm.events)) <= std::pair(double(b.best_regularity), double(b.best_connections)))
        continue;
      b.best_regularity = float(rhythm.score);
      b.best_period_s = float(rhythm.median_interval_s);
      b.best_size_regularity = float(size_regularity(channel->bytes));
      b.best_duration_regularity = float(size_regularity(channel->durations_s));
      b.best_lifetime_s = float(double(channel->last_ns - channel->first_ns) / 1e9);
      b.best_connections = float(rhythm.events);
      b.best_channel = fmt::format("{}:{}/{}", seen.example->dst_addr, seen.example->dport, seen.example->proto);
    }
    b.regular_share = t.flows ? float(regular_flows) / float(t.flows) : 0;
    b.dns_queries = float(t.dns_queries);
    b.dns_unanswered_share = t.dns_queries ? float(t.dns_unanswered) / float(t.dns_queries) : kNaN;
    b.dns_resolvers = float(t.resolvers.size());
    b.dns_external_resolvers = float(t.external_resolvers.size());
    b.dns_nxdomain_share = t.dns_responses ? float(t.dns_nxdomain) / float(t.dns_responses) : kNaN;
    b.dns_names = t.dns_names.empty() ? kNaN : float(t.dns_names.size());
    b.external_peers = float(t.external_peers.size());
    b.external_unanswered_share = t.external_flows ? float(t.external_unanswered) / float(t.external_flows) : kNaN;
    b.udp_high_ports = float(t.udp_high_ports.size());
    const auto [horizontal, port] = largest_scan(t.by_port);
    b.horizontal_scan = horizontal;
    if (horizontal > 0) b.scanned_port = fmt::format("{:g}", port);
    b.vertical_scan = largest_scan(t.by_destination).first;
    b.udp_high_peers = t.udp_high_peers.size();
    const SmallString* main_resolver = nullptr;  // the first with the most queries (an empty one gives way)
    uint64_t most_queries = 0;
    for (const auto& [resolver, queries] : t.queries_by_resolver)
      if (main_resolver == nullptr || main_resolver->empty() || queries > most_queries) {
        main_resolver = &resolver;
        most_queries = queries;
      }
    if (main_resolver != nullptr) b.main_resolver = main_resolver->str();
    b.smtp_destinations = float(t.smtp_destinations.size());
    b.max_oneway_packets = float(t.max_oneway_packets);
  }
  return behaviours;
}

}  // namespace botd
