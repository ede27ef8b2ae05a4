// describe_flagged_flows on hand-built flows: the exact words for each behaviour it names
// (failed shares, DNS queries, port scans, floods, ICMP, periods, incoming and reversed flows,
// ARP), the grouping and ordering of flows, and text that sits unquoted in a CSV field.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "flow/flow_record.h"
#include "score/evidence.h"

namespace botd {
namespace {

constexpr int64_t s = 1'000'000'000;
constexpr std::string_view kHost = "192.168.1.5";

FlowRecord make(std::string proto, std::string src, std::string sport, std::string dir, std::string dst,
                std::string dport, std::string state, int64_t start_s = 0,
                std::optional<uint64_t> packets = std::nullopt) {
  FlowRecord f;
  f.start_ns = start_s * s;
  f.duration_s = 1.0;
  f.proto = std::move(proto);
  f.src_addr = std::move(src);
  f.sport = std::move(sport);
  f.dir = std::move(dir);
  f.dst_addr = std::move(dst);
  f.dport = std::move(dport);
  f.state = std::move(state);
  f.total_packets = packets;
  return f;
}

// A TCP flow from kHost. State "S_": an unanswered SYN; "FSPA_FSPA": a whole connection.
FlowRecord tcp_out(std::string dst, int dport, std::string state, int64_t start_s = 0) {
  return make("tcp", std::string(kHost), "49152", "->", std::move(dst), std::to_string(dport), std::move(state),
              start_s);
}

FlowRecord udp_out(std::string dst, int dport, bool answered, std::optional<uint64_t> packets = std::nullopt) {
  return make("udp", std::string(kHost), "40000", answered ? "<->" : "->", std::move(dst), std::to_string(dport),
              answered ? "CON" : "INT", 0, packets);
}

std::string describe(const std::vector<FlowRecord>& flows, std::string_view host = kHost) {
  std::vector<const FlowRecord*> pointers;
  for (const FlowRecord& flow : flows) pointers.push_back(&flow);
  return describe_flagged_flows(host, pointers);
}

TEST(Evidence, NoFlaggedFlowsNoText) { EXPECT_EQ(describe({}), ""); }

TEST(Evidence, SmtpAttemptsToManyHostsWithAFailedShare) {
  // 4 of 6 failed (3 unanswered SYNs, 1 refused): mostly failed, so "attempts"; 66.7% -> 67%.
  EXPECT_EQ(describe({tcp_out("1.0.0.1", 25, "S_"), tcp_out("1.0.0.2", 25, "FSPA_FSPA"), tcp_out("1.0.0.3", 25, "S_"),
                      tcp_out("1.0.0.4", 25, "S_RA"), tcp_out("1.0.0.5", 25, "FSPA_FSPA"), tcp_out("1.0.0.6", 25, "S_")}),
            "6 SMTP connection attempts to 6 hosts (67% failed)");
}

TEST(Evidence, FailedShareShownFromAQuarterAndAttemptsOnlyWhenMostFailed) {
  // Half failed: the share is shown, but they are "connections".
  EXPECT_EQ(describe({tcp_out("1.0.0.1", 25, "S_"), tcp_out("1.0.0.2", 25, "FSPA_FSPA"), tcp_out("1.0.0.3", 25, "S_"),
                      tcp_out("1.0.0.4", 25, "FSPA_FSPA")}),
            "4 SMTP connections to 4 hosts (50% failed)");
  // 1 of 5 (20%): not worth a mention.
  EXPECT_EQ(describe({tcp_out("1.0.0.1", 25, "S_"), tcp_out("1.0.0.2", 25, "FSPA_FSPA"),
                      tcp_out("1.0.0.3", 25, "FSPA_FSPA"), tcp_out("1.0.0.4", 25, "FSPA_FSPA"),
                      tcp_out("1.0.0.5", 25, "FSPA_FSPA")}),
            "5 SMTP connections to 5 hosts");
}

TEST(Evidence, DnsQueriesWithAnUnansweredShare) {
  EXPECT_EQ(describe({udp_out("8.8.8.8", 53, true), udp_out("8.8.8.8", 53, false), udp_out("8.8.8.8", 53, true)}),
            "3 DNS queries to 8.8.8.8 (33% unanswered)");
}

TEST(Evidence, SingularForOneFlow) {
  EXPECT_EQ(describe({udp_out("8.8.8.8", 53, true)}), "1 DNS query to 8.8.8.8");
  EXPECT_EQ(describe({tcp_out("1.0.0.1", 25, "S_")}), "1 SMTP connection attempt to 1.0.0.1 (all failed)");
  EXPECT_EQ(describe({tcp_out("1.1.1.1", 80, "FSPA_FSPA")}), "1 HTTP connection to 1.1.1.1");
}

TEST(Evidence, PortScanOfOnePeerFromTenPorts) {
  std::vector<FlowRecord> flows;
  for (int port = 1; port <= 10; ++port) flows.push_back(tcp_out("10.0.0.9", port, "S_RA"));
  flows.push_back(tcp_out("1.1.1.1", 80, "FSPA_FSPA"));  // another peer: not part of the scan
  EXPECT_EQ(describe(flows), "port scan of 10 TCP ports on 10.0.0.9 (all failed); 1 HTTP connection to 1.1.1.1");

  std::vector<FlowRecord> udp;
  for (int port = 1000; port < 1010; ++port) udp.push_back(udp_out("10.0.0.9", port, false, 1));
  EXPECT_EQ(describe(udp), "port scan of 10 UDP ports on 10.0.0.9 (none answered)");
}

TEST(Evidence, NineDistinctPortsAreNotAScanAndOnlyThreeGroupsAreShown) {
  std::vector<FlowRecord> flows;
  for (int port = 1; port <= 9; ++port) flows.push_back(tcp_out("10.0.0.9", port, "S_"));
  flows.push_back(tcp_out("10.0.0.9", 1, "S_"));  // 10 flows, 9 ports
  EXPECT_EQ(describe(flows),
            "2 TCP port 1 connection attempts to 10.0.0.9 (all failed); "
            "1 TCP port 2 connection attempt to 10.0.0.9 (all failed); "
            "1 TCP port 3 connection attempt to 10.0.0.9 (all failed); "
            "6 other flagged flows");
}

TEST(Evidence, BiggestGroupsFirstThenTheRestCounted) {
  std::vector<FlowRecord> flows = {
      tcp_out("5.5.5.5", 25, "FSPA_FSPA"), tcp_out("2.2.2.2", 443, "FSPA_FSPA"), tcp_out("1.1.1.1", 80, "FSPA_FSPA"),
      udp_out("8.8.8.8", 53, true),        tcp_out("1.1.1.1", 80, "FSPA_FSPA"), udp_out("8.8.8.8", 53, true),
      tcp_out("6.6.6.6", 22, "FSPA_FSPA"), udp_out("8.8.8.8", 53, true),        tcp_out("2.2.2.2", 443, "FSPA_FSPA"),
      tcp_out("1.1.1.1", 80, "FSPA_FSPA"), udp_out("8.8.8.8", 53, true)};
  EXPECT_EQ(describe(flows),
            "4 DNS queries to 8.8.8.8; 3 HTTP connections to 1.1.1.1; 2 HTTPS connections to 2.2.2.2; "
            "2 other flagged flows");
  flows.erase(flows.begin() + 6);  // the SSH flow: one other left
  EXPECT_EQ(describe(flows),
            "4 DNS queries to 8.8.8.8; 3 HTTP connections to 1.1.1.1; 2 HTTPS connections to 2.2.2.2; "
            "1 other flagged flow");
}

TEST(Evidence, UdpFloodOverOnePeersPorts) {
  std::vector<FlowRecord> flows;
  for (int port = 1000; port < 1010; ++port) flows.push_back(udp_out("10.0.0.9", port, false, 150));
  EXPECT_EQ(describe(flows), "UDP flood of 1500 packets to 10 ports on 10.0.0.9 (none answered)");
  // One port: a flood, but no scan.
  EXPECT_EQ(describe({udp_out("10.0.0.9", 9999, false, 5000)}),
            "1 UDP port 9999 flow to 10.0.0.9 (none answered) (flood: 5000 packets)");
}

TEST(Evidence, IcmpEchoRequestsToTwoNamedHosts) {
  // Sport 0x0008: type 8 (echo request), code 0. Irregular start times: no period.
  auto ping = [](std::string dst, int64_t start_s, bool answered) {
    return make("icmp", std::string(kHost), "0x0008", answered ? "<->" : "->", std::move(dst), "0x1a2b", "ECO",
                start_s);
  };
  EXPECT_EQ(describe({ping("10.0.0.2", 0, true), ping("10.0.0.1", 10, true), ping("10.0.0.2", 100, true),
                      ping("10.0.0.1", 101, true)}),
            "4 ICMP echo requests to 2 hosts (10.0.0.1 and 10.0.0.2)");
  EXPECT_EQ(describe({ping("10.0.0.1", 0, false)}), "1 ICMP echo request to 10.0.0.1 (none answered)");
}

TEST(Evidence, RegularStartsMakeAPeriodicGroup) {
  // Intervals 61, 58, 61, 61 s (in any order of the flows): mean 60.25 s, spread 1.3 s.
  std::vector<FlowRecord> flows;
  for (int64_t start : {1119, 1000, 1241, 1061, 1180}) flows.push_back(tcp_out("147.32.96.69", 6667, "FSPA_FSPA", start));
  EXPECT_EQ(describe(flows), "5 IRC connections to 147.32.96.69 every ~60 s");
}

TEST(Evidence, NoPeriodForFewFlowsManyPeersOrIrregularStarts) {
  std::vector<FlowRecord> three;  // evenly spaced, but fewer than 4
  for (int64_t start : {0, 60, 120}) three.push_back(tcp_out("147.32.96.69", 6667, "FSPA_FSPA", start));
  EXPECT_EQ(describe(three), "3 IRC connections to 147.32.96.69");
  std::vector<FlowRecord> crowd;  // evenly spaced, but 4 peers
  int64_t start = 0;
  for (const char* peer : {"1.0.0.1", "1.0.0.2", "1.0.0.3", "1.0.0.4"})
    crowd.push_back(tcp_out(peer, 6667, "FSPA_FSPA", start += 60));
  EXPECT_EQ(describe(crowd), "4 IRC connections to 4 hosts");
  std::vector<FlowRecord> irregular;  // intervals 10, 90, 1
  for (int64_t t : {0, 10, 100, 101}) irregular.push_back(tcp_out("147.32.96.69", 6667, "FSPA_FSPA", t));
  EXPECT_EQ(describe(irregular), "4 IRC connections to 147.32.96.69");
}

TEST(Evidence, IncomingFlowsAreFromTheirSources) {
  const std::string host(kHost);
  EXPECT_EQ(describe({make("tcp", "5.6.7.8", "40001", "->", host, "22", "FSPA_FSPA"),
                      make("tcp", "1.2.3.4", "40000", "->", host, "22", "FSPA_FSPA")}),
            "2 incoming SSH connections from 2 hosts (1.2.3.4 and 5.6.7.8)");
  // Unsure of the direction, but the host holds the server port: still incoming.
  EXPECT_EQ(describe({make("tcp", "9.9.9.9", "40000", "<?>", host, "22", "PA_PA")}),
            "1 incoming SSH connection from 9.9.9.9");
  // Queries the host answered are not "DNS queries" of its own.
  EXPECT_EQ(describe({make("udp", "192.168.1.7", "40000", "<->", host, "53", "CON")}),
            "1 incoming DNS flow from 192.168.1.7");
}

TEST(Evidence, ReversedUnsureFlowsStartedByTheHostAreOutgoing) {
  const std::string host(kHost);
  // argus met this connection mid-way and named the C&C server its source.
  const FlowRecord reversed = make("tcp", "147.32.96.69", "6667", "<?>", host, "50000", "PA_PA");
  EXPECT_EQ(describe({reversed}), "1 IRC connection to 147.32.96.69");
  EXPECT_EQ(describe({reversed, tcp_out("147.32.96.69", 6667, "FSPA_FSPA")}), "2 IRC connections to 147.32.96.69");
  // Sure of the direction: the server did start it.
  EXPECT_EQ(describe({make("tcp", "147.32.96.69", "6667", "->", host, "50000", "PA_PA")}),
            "1 incoming TCP port 50000 connection from 147.32.96.69");
}

TEST(Evidence, ArpAndOtherProtocolsNamedInCapitals) {
  const std::string host(kHost);
  EXPECT_EQ(describe({make("arp", host, "", "who", "192.168.1.7", "", "CON"),
                      make("llc", host, "", "->", "192.168.1.9", "", "INT"),
                      make("arp", host, "", "who", "192.168.1.1", "", "CON")}),
            "2 ARP flows to 2 hosts (192.168.1.1 and 192.168.1.7); 1 LLC flow to 192.168.1.9");
}

TEST(Evidence, NoCommasEvenWithBigNumbersAndIpv6Peers) {
  std::vector<FlowRecord> flows;
  for (int i = 0; i < 1234; ++i) flows.push_back(tcp_out(fmt::format("1.2.{}.{}", i / 256, i % 256), 25, "S_"));
  for (int port = 1000; port < 1012; ++port)
    flows.push_back(make("udp", std::string(kHost), "40000", "->", "2001:db8::9", std::to_string(port), "INT", 0,
                         port == 1000 ? 1345 : 1000));
  for (const char* peer : {"10.0.0.1", "10.0.0.2"})
    flows.push_back(make("icmp", std::string(kHost), "0x0008", "<->", peer, "0x0001", "ECO"));
  const std::string text = describe(flows);
  EXPECT_EQ(text,
            "1234 SMTP connection attempts to 1234 hosts (all failed); "
            "UDP flood of 12345 packets to 12 ports on 2001:db8::9 (none answered); "
            "2 ICMP echo requests to 2 hosts (10.0.0.1 and 10.0.0.2)");
  EXPECT_EQ(text.find(','), std::string::npos);
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace botd
