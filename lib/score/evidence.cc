#include "score/evidence.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "features/flow_facts.h"

namespace botd {
namespace {

using Proto = FlowFacts::Proto;

constexpr size_t kScanPorts = 10;        // ports of one peer that make a port scan
constexpr size_t kPeriodicFlows = 4;     // flows needed to call a group periodic
constexpr size_t kPeriodicPeers = 3;     // at most this many peers (a C&C server, not a crowd)
constexpr double kPeriodicSpread = 0.2;  // interval standard deviation / mean
constexpr uint64_t kFloodPackets = 1000;
constexpr size_t kGroupsShown = 3;
constexpr size_t kPeersNamed = 2;

std::string_view service_name(Proto proto, int port) {
  struct Service {
    int port;
    std::string_view tcp, udp;
  };
  static constexpr Service kServices[] = {
      {20, "FTP data", ""}, {21, "FTP", ""}, {22, "SSH", ""}, {23, "Telnet", ""}, {25, "SMTP", ""},
      {53, "DNS", "DNS"}, {67, "", "DHCP"}, {68, "", "DHCP"}, {69, "", "TFTP"}, {80, "HTTP", ""},
      {110, "POP3", ""}, {123, "", "NTP"}, {135, "RPC", ""}, {137, "", "NetBIOS name"},
      {138, "", "NetBIOS datagram"}, {139, "NetBIOS session", ""}, {143, "IMAP", ""}, {161, "", "SNMP"},
      {443, "HTTPS", "QUIC"}, {445, "SMB", ""}, {465, "SMTPS", ""}, {514, "", "syslog"},
      {587, "SMTP submission", ""}, {993, "IMAPS", ""}, {995, "POP3S", ""}, {1080, "SOCKS", ""},
      {1433, "MSSQL", ""}, {1900, "", "SSDP"}, {3128, "HTTP proxy", ""}, {3306, "MySQL", ""},
      {3389, "RDP", ""}, {5060, "SIP", "SIP"}, {5353, "", "mDNS"}, {5355, "", "LLMNR"},
      {6667, "IRC", ""}, {6697, "IRC (TLS)", ""}, {8080, "HTTP", ""}, {8443, "HTTPS", ""},
  };
  for (const Service& service : kServices)
    if (service.port == port) return proto == Proto::tcp ? service.tcp : service.udp;
  if (proto == Proto::tcp && port >= 6660 && port <= 6669) return "IRC";
  return "";
}

std::string_view icmp_type_name(int type) {
  switch (type) {
    case 0: return "ICMP echo replies";
    case 3: return "ICMP unreachables";
    case 5: return "ICMP redirects";
    case 8: return "ICMP echo requests";
    case 11: return "ICMP time-exceeded messages";
    default: return "ICMP messages";
  }
}

// Flows of one kind: the same direction, protocol and service.
struct FlowGroup {
  bool outgoing = true;
  Proto proto = Proto::other;
  std::string proto_text;  // as the flows name it, for protocols without a service table
  int port = -1;           // TCP/UDP destination port, ICMP type; -1 when none
  bool scan = false;       // a port scan of one peer: port holds the number of ports
  uint64_t flows = 0, failed = 0, packets = 0;
  std::set<std::string_view> peers;
  std::vector<int64_t> starts_ns;
};

std::string peers_text(const FlowGroup& group) {
  const size_t n = group.peers.size();
  if (n == 1) return std::string(*group.peers.begin());
  if (n <= kPeersNamed) return fmt::format("{} hosts ({})", n, fmt::join(group.peers, " and "));
  return fmt::format("{} hosts", n);
}

// " every ~60 s" when the flows start at regular intervals.
std::string period_text(const FlowGroup& group) {
  if (group.starts_ns.size() < kPeriodicFlows || group.peers.size() > kPeriodicPeers) return "";
  std::vector<int64_t> starts = group.starts_ns;
  std::sort(starts.begin(), starts.end());
  double sum = 0, sum_squares = 0;
  const size_t n = starts.size() - 1;
  for (size_t i = 0; i < n; ++i) {
    const double interval_s = double(starts[i + 1] - starts[i]) / 1e9;
    sum += interval_s;
    sum_squares += interval_s * interval_s;
  }
  const double mean = sum / double(n);
  const double spread = std::sqrt(std::max(0.0, sum_squares / double(n) - mean * mean));
  if (mean < 1 || spread > kPeriodicSpread * mean) return "";
  return fmt::format(" every ~{:.0f} s", mean);
}

std::string failed_text(const FlowGroup& group) {
  if (group.failed == 0 || group.proto == Proto::other) return "";
  if (group.failed == group.flows) return group.proto == Proto::tcp ? " (all failed)" : " (none answered)";
  const double share = double(group.failed) / double(group.flows);
  if (share < 0.25) return "";
  return fmt::format(" ({:.0f}% {})", 100 * share, group.proto == Proto::tcp ? "failed" : "unanswered");
}

std::string what_text(const FlowGroup& group) {
  if (group.proto == Proto::icmp) return std::string(icmp_type_name(group.port));
  if (group.proto == Proto::icmpv6) return "ICMPv6 messages";
  if (group.proto != Proto::tcp && group.proto != Proto::udp) {
    std::string name = group.proto_text;  // "arp" -> "ARP", as analysts write it
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return name + " flows";
  }
  const std::string_view service = service_name(group.proto, group.port);
  const bool tcp = group.proto == Proto::tcp;
  if (service == "DNS" && group.outgoing) return "DNS queries";
  const std::string what =
      service.empty() ? fmt::format("{} port {}", tcp ? "TCP" : "UDP", group.port) : std::string(service);
  if (!tcp) return what + " flows";
  return what + (group.failed * 2 > group.flows ? " connection attempts" : " connections");
}

// "DNS queries" -> "DNS query", "connections" -> "connection": for a group of one flow.
std::string singular(std::string plural) {
  if (plural.ends_with("ies")) return plural.substr(0, plural.size() - 3) + "y";
  if (plural.ends_with('s')) plural.pop_back();
  return plural;
}

std::string group_text(const FlowGroup& group) {
  // Thousands of UDP packets sprayed over one peer's ports is a flood, not a scan.
  if (group.scan && group.proto == Proto::udp && group.packets >= kFloodPackets)
    return fmt::format("UDP flood of {} packets to {} ports on {}{}", group.packets, group.port, peers_text(group),
                       failed_text(group));
  if (group.scan)
    return fmt::format("port scan of {} {} ports on {}{}", group.port, group.proto == Proto::tcp ? "TCP" : "UDP",
                       peers_text(group), failed_text(group));
  const std::string what = group.flows == 1 ? singular(what_text(group)) : what_text(group);
  std::string text = fmt::format("{}{} {} {} {}", group.flows, group.outgoing ? "" : " incoming", what,
                                 group.outgoing ? "to" : "from", peers_text(group));
  text += failed_text(group) + period_text(group);
  if ((group.proto == Proto::udp || group.proto == Proto::icmp || group.proto == Proto::icmpv6) &&
      group.packets >= kFloodPackets)
    text += fmt::format(" (flood: {} packets)", group.packets);
  return text;
}

// Whether the host started the flow, as far as the record tells. argus names the first
// packet's sender the source; when it was unsure ('?' in Dir: the window began mid-connection),
// a server port on the other end (a C&C server's 6667 answering the host's ephemeral port)
// says the host is the client.
bool started_by_host(const FlowRecord& flow, const FlowFacts& facts, std::string_view host) {
  if (flow.src_addr == host) return true;
  if (flow.dir.find('?') == std::string::npos || (facts.proto != Proto::tcp && facts.proto != Proto::udp)) return false;
  if (std::isnan(facts.sport) || std::isnan(facts.dport)) return false;
  const auto server_port = [&](double port) { return port < 1024 || !service_name(facts.proto, int(port)).empty(); };
  return server_port(facts.sport) && !server_port(facts.dport);
}

}  // namespace

std::string describe_flagged_flows(std::string_view host, std::span<const FlowRecord* const> flows) {
  if (flows.empty()) return "";
  struct Parsed {
    const FlowRecord* flow;
    FlowFacts facts;
    bool outgoing;         // started by the host
    bool reversed = false;  // started by the host though argus wrote it as the destination
  };
  std::vector<Parsed> parsed;
  parsed.reserve(flows.size());
  // Ports per outgoing peer, to find port scans first.
  std::map<std::tuple<Proto, std::string_view>, std::set<int>> ports_per_peer;
  for (const FlowRecord* flow : flows) {
    Parsed p{flow, facts_of(*flow), flow->src_addr == host};
    if (!p.outgoing && started_by_host(*flow, p.facts, host)) {
      p.outgoing = true;
      p.reversed = true;
      std::swap(p.facts.sport, p.facts.dport);
    }
    parsed.push_back(p);
    if (p.outgoing && (p.facts.proto == Proto::tcp || p.facts.proto == Proto::udp) && !std::isnan(p.facts.dport))
      ports_per_peer[{p.facts.proto, p.reversed ? flow->src_addr : flow->dst_addr}].insert(int(p.facts.dport));
  }
  std::map<std::tuple<bool, Proto, std::string, int, std::string_view>, FlowGroup> groups;
  for (const Parsed& p : parsed) {
    const FlowRecord& flow = *p.flow;
    const std::string_view peer = flow.src_addr == host ? flow.dst_addr : flow.src_addr;
    const bool ports = p.facts.proto == Proto::tcp || p.facts.proto == Proto::udp;
    int port = -1;
    if (ports && !std::isnan(p.facts.dport)) port = int(p.facts.dport);
    if (p.facts.proto == Proto::icmp && !std::isnan(p.facts.icmp_type)) port = int(p.facts.icmp_type);
    std::string_view scanned;  // the peer, for flows that belong to a port scan of it
    if (p.outgoing && ports) {
      const auto scan = ports_per_peer.find({p.facts.proto, peer});
      if (scan != ports_per_peer.end() && scan->second.size() >= kScanPorts) {
        scanned = peer;
        port = int(scan->second.size());
      }
    }
    const std::string proto_text = p.facts.proto == Proto::other || p.facts.proto == Proto::arp ||
                                           p.facts.proto == Proto::igmp
                                       ? flow.proto.str()
                                       : "";
    FlowGroup& group = groups[{p.outgoing, p.facts.proto, proto_text, port, scanned}];
    group.outgoing = p.outgoing;
    group.proto = p.facts.proto;
    group.proto_text = proto_text;
    group.port = port;
    group.scan = !scanned.empty();
    ++group.flows;
    group.failed += p.facts.failed;
    group.packets += flow.total_packets.value_or(0);
    group.peers.insert(peer);
    group.starts_ns.push_back(flow.start_ns);
  }
  std::vector<const FlowGroup*> ordered;
  for (const auto& [key, group] : groups) ordered.push_back(&group);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const FlowGroup* a, const FlowGroup* b) { return a->flows > b->flows; });
  std::string text;
  uint64_t rest = 0;
  for (size_t i = 0; i < ordered.size(); ++i) {
    if (i < kGroupsShown)
      text += (text.empty() ? "" : "; ") + group_text(*ordered[i]);
    else
      rest += ordered[i]->flows;
  }
  if (rest > 0) text += fmt::format("; {} other flagged flow{}", rest, rest == 1 ? "" : "s");
  return text;
}

// ---- Behaviours

namespace {

// Thresholds of the behaviours worth naming: well above what the normal hosts of the shared
// data do in a window (docs/detection.md).
constexpr double kRegularScore = 0.8;
constexpr double kRegularConnections = 8;
constexpr double kDnsQueries = 50;
constexpr double kDnsUnanswered = 0.25;
constexpr double kDnsNxdomain = 0.25;  // of the answers: a generated name's fate
constexpr double kUdpHighPorts = 50;
constexpr double kUdpPeers = 10;  // fewer: a flood or a scan of one host, not peer-to-peer
constexpr double kScanTargets = 20;
constexpr double kSmtpServers = 10;
constexpr double kFloodOneWay = 1000;

// "45 s", "12 min", "2.5 h"
std::string span_text(double seconds) {
  if (seconds < 120) return fmt::format("{:.0f} s", seconds);
  if (seconds < 7200) return fmt::format("{:.0f} min", seconds / 60);
  return fmt::format("{:.1f} h", seconds / 3600);
}

}  // namespace

std::string describe_behaviour(const HostBehaviour& b) {
  std::vector<std::string> parts;
  if (b.best_regularity >= kRegularScore && b.best_connections >= kRegularConnections)
    parts.push_back(fmt::format("connects to {} every ~{} for {}", b.best_channel, span_text(b.best_period_s),
                                span_text(b.best_lifetime_s)));
  if (b.dns_queries >= kDnsQueries && (b.dns_unanswered_share >= kDnsUnanswered || b.dns_external_resolvers > 0 ||
                                       b.dns_nxdomain_share >= kDnsNxdomain)) {
    std::string text = fmt::format("{:g} DNS queries to {}", b.dns_queries, b.main_resolver);
    if (b.dns_resolvers > 1) text += fmt::format(" and {:g} other resolvers", b.dns_resolvers - 1);
    text += fmt::format(" ({:.0f}% unanswered", 100 * b.dns_unanswered_share);
    if (!std::isnan(b.dns_nxdomain_share))  // decoded from packets
      text += fmt::format("; {:g} names, {:.0f}% of answers NXDOMAIN", b.dns_names, 100 * b.dns_nxdomain_share);
    parts.push_back(text + ")");
  }
  if (b.udp_high_ports >= kUdpHighPorts && double(b.udp_high_peers) >= kUdpPeers) {
    std::string text = fmt::format("UDP to {} peer{} on {:g} high ports", b.udp_high_peers,
                                   b.udp_high_peers == 1 ? "" : "s", b.udp_high_ports);
    if (!std::isnan(b.external_unanswered_share))
      text += fmt::format(" ({:.0f}% of its external flows unanswered)", 100 * b.external_unanswered_share);
    parts.push_back(text);
  }
  if (b.horizontal_scan >= kScanTargets)
    parts.push_back(fmt::format("scans {:g} hosts on port {} (most failed)", b.horizontal_scan, b.scanned_port));
  if (b.vertical_scan >= kScanTargets)
    parts.push_back(fmt::format("scans {:g} ports of one host (most failed)", b.vertical_scan));
  if (b.smtp_destinations >= kSmtpServers) parts.push_back(fmt::format("SMTP to {:g} servers", b.smtp_destinations));
  if (b.max_oneway_packets >= kFloodOneWay)
    parts.push_back(fmt::format("{:g} packets in one flow nobody answered", b.max_oneway_packets));
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : "; ") + part;
  return text;
}

}  // namespace botd
