// FlowTable on hand-built PacketViews (filled as the decoder fills them for Ethernet frames):
// the records argus + ra would print (ARGUS-NOTES §3–§8, §12) — per-side counts and bytes,
// TCP flag states, Dir, Dur, which side is Src, UDP/ICMP/ARP/MAC states, when a record ends
// (status interval, TCP re-open; never an idle timeout) and the order records come out in.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "capture/dns_message.h"
#include "flow/flow_table.h"
#include "flow/windowed_flows.h"

namespace botd {
namespace {

constexpr int64_t kStartNs = 1'600'000'000LL * 1'000'000'000LL;

// The capture time `seconds` after the first packet, as a decoder gives it (nanoseconds).
int64_t at(double seconds) { return kStartNs + std::llround(seconds * 1e6) * 1000; }

// What ra prints for a duration of `seconds`: argus computes Dur in single precision.
double dur(double seconds) { return double(float(seconds)); }

const std::array<uint8_t, 2048> kZeros{};

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

// One MAC per host: 00:00:00:00:00:<last octet>.
MacAddress mac_of(const IpAddress& address) {
  MacAddress m;
  m.bytes[5] = address.v4_bytes()[3];
  return m;
}

// An Ethernet/IPv4 frame carrying `transport_len` bytes of transport header and payload.
// Ethernet counts the whole frame, padded to 60 bytes.
PacketView ipv4(double t, const char* src, const char* dst, uint8_t protocol, uint32_t transport_len,
                uint8_t ttl = 64) {
  PacketView p;
  p.time_ns = at(t);
  p.wire_len = std::max<uint32_t>(60, 14 + 20 + transport_len);
  p.captured_len = p.wire_len;
  p.flow_bytes = p.wire_len;
  p.network = Network::ipv4;
  p.has_macs = true;
  p.src = ip(src);
  p.dst = ip(dst);
  p.mac_src = mac_of(p.src);
  p.mac_dst = mac_of(p.dst);
  p.ethertype = 0x0800;
  p.ip_protocol = protocol;
  p.ttl = ttl;
  p.ip_payload_len = transport_len;
  return p;
}

PacketView udp(double t, const char* src, uint16_t sport, const char* dst, uint16_t dport, uint32_t payload_len,
               uint8_t ttl = 64) {
  PacketView p = ipv4(t, src, dst, ip_protocol::udp, 8 + payload_len, ttl);
  p.has_ports = true;
  p.sport = sport;
  p.dport = dport;
  p.payload_len = payload_len;
  p.payload = std::span<const uint8_t>(kZeros).first(payload_len);
  return p;
}

PacketView icmp(double t, const char* src, const char* dst, uint8_t type, uint8_t code, uint16_t id, uint16_t seq,
                uint32_t payload_len) {
  PacketView p = ipv4(t, src, dst, ip_protocol::icmp, 8 + payload_len);
  p.has_icmp = true;
  p.icmp_type = type;
  p.icmp_code = code;
  p.icmp_id = id;
  p.icmp_seq = seq;
  p.payload_len = payload_len;
  p.payload = std::span<const uint8_t>(kZeros).first(payload_len);
  return p;
}

// A TCP conversation between a client and a server; every segment gives its seq and ack.
struct Tcp {
  const char* client = "10.0.0.1";
  const char* server = "10.0.0.2";
  uint16_t client_port = 40000, server_port = 80;
  uint8_t client_ttl = 64, server_ttl = 128;

  PacketView segment(double t, bool from_client, uint8_t flags, uint32_t seq, uint32_t ack,
                     uint32_t payload_len) const {
    PacketView p = ipv4(t, from_client ? client : server, from_client ? server : client, ip_protocol::tcp,
                        20 + payload_len, from_client ? client_ttl : server_ttl);
    p.has_ports = true;
    p.sport = from_client ? client_port : server_port;
    p.dport = from_client ? server_port : client_port;
    p.has_tcp = true;
    p.tcp_flags = flags;
    p.tcp_seq = seq;
    p.tcp_ack = ack;
    p.tcp_window = 8192;
    p.payload_len = payload_len;
    p.payload = std::span<const uint8_t>(kZeros).first(payload_len);
    return p;
  }
  PacketView c(double t, uint8_t flags, uint32_t seq, uint32_t ack = 0, uint32_t payload_len = 0) const {
    return segment(t, true, flags, seq, ack, payload_len);
  }
  PacketView s(double t, uint8_t flags, uint32_t seq, uint32_t ack = 0, uint32_t payload_len = 0) const {
    return segment(t, false, flags, seq, ack, payload_len);
  }
};

constexpr uint8_t F = tcp_flag::fin, S = tcp_flag::syn, R = tcp_flag::rst, P = tcp_flag::psh, A = tcp_flag::ack;

// A table with the extended fields on (for SrcPkts, DstPkts, DstBytes, TTLs), collecting records.
struct Flows {
  std::vector<FlowRecord> records;
  FlowTable table{options(), [this](FlowRecord&& record) { records.push_back(std::move(record)); }};

  static FlowTableOptions options() {
    FlowTableOptions o;
    o.extended = true;
    return o;
  }
  Flows& add(const PacketView& packet) {
    table.add(packet);
    return *this;
  }
  const std::vector<FlowRecord>& finish() {
    table.finish();
    return records;
  }
};

double src_packets(const FlowRecord& r) { return r.get(ExtendedField::SrcPkts); }
double dst_packets(const FlowRecord& r) { return r.get(ExtendedField::DstPkts); }
double dst_bytes(const FlowRecord& r) { return r.get(ExtendedField::DstBytes); }

// The eight packets of a complete session: handshake, 100 bytes up, 500 down, FIN both ways.
// Client: S, A, PA(154 B), FA, A = 5 packets, 394 bytes; server: SA, PA(554 B), FA = 3, 674.
void full_session(Flows& flows, const Tcp& tcp, double t0) {
  flows.add(tcp.c(t0 + 0.0, S, 1000))
      .add(tcp.s(t0 + 0.1, S | A, 5000, 1001))
      .add(tcp.c(t0 + 0.2, A, 1001, 5001))
      .add(tcp.c(t0 + 0.3, P | A, 1001, 5001, 100))
      .add(tcp.s(t0 + 0.4, P | A, 5001, 1101, 500))
      .add(tcp.c(t0 + 0.5, F | A, 1101, 5501))
      .add(tcp.s(t0 + 0.6, F | A, 5501, 1102))
      .add(tcp.c(t0 + 0.7, A, 1102, 5502));
}

TEST(FlowTable, FullTcpSessionIsOneRecordWithBothSidesFlags) {
  Flows flows;
  full_session(flows, Tcp{}, 0);
  EXPECT_TRUE(flows.records.empty());  // nothing ends before the capture does
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 1u);
  const FlowRecord& r = records[0];
  EXPECT_EQ(r.start_ns, at(0));
  EXPECT_EQ(r.duration_s, dur(0.7));
  EXPECT_EQ(r.proto, "tcp");
  EXPECT_EQ(r.src_addr, "10.0.0.1");
  EXPECT_EQ(r.sport, "40000");
  EXPECT_EQ(r.dir, "->");
  EXPECT_EQ(r.dst_addr, "10.0.0.2");
  EXPECT_EQ(r.dport, "80");
  EXPECT_EQ(r.state, "FSPA_FSPA");
  EXPECT_EQ(r.stos, 0);
  EXPECT_EQ(r.dtos, 0);
  EXPECT_EQ(r.total_packets, 8u);
  EXPECT_EQ(r.total_bytes, 1068u);
  EXPECT_EQ(r.src_bytes, 394u);
  EXPECT_EQ(src_packets(r), 5);
  EXPECT_EQ(dst_packets(r), 3);
  EXPECT_EQ(dst_bytes(r), 674);
  EXPECT_EQ(r.get(ExtendedField::sTtl), 64);
  EXPECT_EQ(r.get(ExtendedField::dTtl), 128);
}

TEST(FlowTable, SynAckFirstFlowIsReversed) {
  // The capture starts at the server's SYN-ACK and the connection goes on: ra makes the
  // client Src, although the server sent first and has the lower address.
  Tcp tcp;
  tcp.client = "10.0.0.9";
  Flows flows;
  flows.add(tcp.s(0.0, S | A, 5000, 1001))
      .add(tcp.c(0.1, A, 1001, 5001))
      .add(tcp.c(0.2, P | A, 1001, 5001, 100))
      .add(tcp.s(0.3, A, 5001, 1101));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 1u);
  const FlowRecord& r = records[0];
  EXPECT_EQ(r.src_addr, "10.0.0.9");
  EXPECT_EQ(r.src_ip, ip("10.0.0.9"));  // the numbers follow the text through the reversal
  EXPECT_EQ(r.sport, "40000");
  EXPECT_EQ(r.dst_addr, "10.0.0.2");
  EXPECT_EQ(r.dst_ip, ip("10.0.0.2"));
  EXPECT_EQ(r.dport, "80");
  EXPECT_EQ(r.dir, "->");
  EXPECT_EQ(r.state, "PA_SA");
  EXPECT_EQ(r.total_packets, 4u);
  EXPECT_EQ(r.total_bytes, 334u);
  EXPECT_EQ(r.src_bytes, 214u);
  EXPECT_EQ(src_packets(r), 2);
  EXPECT_EQ(r.get(ExtendedField::sTtl), 64);  // the client's
  EXPECT_EQ(r.start_ns, at(0));
  EXPECT_EQ(r.duration_s, dur(0.3));
}

TEST(FlowTable, LoneSynAckOrSynAckThenRstIsNotReversed) {
  Tcp lone, refused;
  refused.client_port = 40001;
  Flows flows;
  flows.add(lone.s(0.0, S | A, 5000, 1001))
      .add(refused.s(0.1, S | A, 7000, 2001))
      .add(refused.c(0.2, R, 2001));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].src_addr, "10.0.0.2");
  EXPECT_EQ(records[0].sport, "80");
  EXPECT_EQ(records[0].dst_addr, "10.0.0.1");
  EXPECT_EQ(records[0].dport, "40000");
  EXPECT_EQ(records[0].state, "SA_");
  EXPECT_EQ(records[0].dir, "->");
  EXPECT_EQ(records[0].src_bytes, 60u);
  EXPECT_EQ(records[1].src_addr, "10.0.0.2");
  EXPECT_EQ(records[1].dport, "40001");
  EXPECT_EQ(records[1].state, "SA_R");
  EXPECT_EQ(records[1].dir, "->");
  EXPECT_EQ(records[1].total_packets, 2u);
  EXPECT_EQ(records[1].src_bytes, 60u);
}

TEST(FlowTable, RefusedSynsRetriedAreOneSRaRecord) {
  // S, RA, S, RA, S over two seconds: one record (ARGUS-NOTES §8.2, s_ra_s).
  Tcp tcp;
  Flows flows;
  flows.add(tcp.c(0.0, S, 1000))
      .add(tcp.s(0.01, R | A, 0, 1001))
      .add(tcp.c(1.0, S, 1000))
      .add(tcp.s(1.01, R | A, 0, 1001))
      .add(tcp.c(2.0, S, 1000));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 1u);
  const FlowRecord& r = records[0];
  EXPECT_EQ(r.src_addr, "10.0.0.1");
  EXPECT_EQ(r.state, "S_RA");
  EXPECT_EQ(r.dir, "->");
  EXPECT_EQ(r.total_packets, 5u);
  EXPECT_EQ(r.src_bytes, 180u);
  EXPECT_EQ(src_packets(r), 3);
  EXPECT_EQ(r.duration_s, dur(2.0));
  EXPECT_DOUBLE_EQ(r.get(ExtendedField::pSrcLoss), 40.0);  // 2 repeated SYNs: 100 * 2 / (3 + 2)
}

TEST(FlowTable, TcpWithoutSynGetsQuestionMarkDirAndNoPortHeuristic) {
  Tcp both, one_way, server_first;
  one_way.client_port = 40001;
  server_first.client_port = 40002;
  Flows flows;
  flows.add(both.c(0.0, P | A, 1001, 5001, 100))
      .add(both.s(0.1, A, 5001, 1101))
      .add(one_way.c(0.2, P | A, 1001, 5001, 100))
      .add(server_first.s(0.3, P | A, 5001, 1001, 100))
      .add(server_first.c(0.4, A, 1001, 5101));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].dir, "<?>");
  EXPECT_EQ(records[0].state, "PA_A");
  EXPECT_EQ(records[0].src_addr, "10.0.0.1");
  EXPECT_EQ(records[1].dir, "?>");
  EXPECT_EQ(records[1].state, "PA_");
  // Debian's ra.conf would reverse this one (Sport 80 < 1024); the oracle runs ra -X.
  EXPECT_EQ(records[2].src_addr, "10.0.0.2");
  EXPECT_EQ(records[2].sport, "80");
  EXPECT_EQ(records[2].dport, "40002");
  EXPECT_EQ(records[2].dir, "<?>");
  EXPECT_EQ(records[2].state, "PA_A");
  EXPECT_EQ(records[2].src_bytes, 154u);
}

TEST(FlowTable, RetransmittedSegmentShowsAsSrcLoss) {
  // ARGUS-NOTES §10 (t20 retx): one resent 100-byte segment among 8 client packets.
  Tcp tcp;
  Flows flows;
  flows.add(tcp.c(0.01, S, 1000))
      .add(tcp.s(0.02, S | A, 5000, 1001))
      .add(tcp.c(0.03, A, 1001, 5001))
      .add(tcp.c(0.04, P | A, 1001, 5001, 100))
      .add(tcp.c(0.05, P | A, 1001, 5001, 100))  // the same segment again
      .add(tcp.s(0.06, A, 5001, 1101))
      .add(tcp.c(0.07, P | A, 1101, 5001, 100))
      .add(tcp.s(0.08, A, 5001, 1201))
      .add(tcp.s(0.09, P | A, 5001, 1201, 300))
      .add(tcp.c(0.10, A, 1201, 5301))
      .add(tcp.c(0.11, F | A, 1201, 5301))
      .add(tcp.s(0.12, F | A, 5301, 1202))
      .add(tcp.c(0.13, A, 1202, 5302));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].state, "FSPA_FSPA");
  EXPECT_EQ(src_packets(records[0]), 8);
  EXPECT_EQ(dst_packets(records[0]), 5);
  EXPECT_EQ(records[0].total_bytes, 1356u);
  EXPECT_EQ(records[0].src_bytes, 762u);
  EXPECT_DOUBLE_EQ(records[0].get(ExtendedField::pSrcLoss), 100.0 / 9);
  EXPECT_EQ(records[0].get(ExtendedField::pDstLoss), 0);
}

TEST(FlowTable, UdpSrcIsTheFirstSenderAndStateIsConOrInt) {
  // The first packet comes from the higher address: it is Src all the same (§3.1).
  Flows flows;
  flows.add(udp(0.0, "10.0.0.9", 6000, "10.0.0.1", 5000, 50))
      .add(udp(0.25, "10.0.0.1", 5000, "10.0.0.9", 6000, 100))
      .add(udp(0.5, "10.0.0.1", 5001, "10.0.0.3", 9999, 50));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 2u);
  const FlowRecord& con = records[0];
  EXPECT_EQ(con.proto, "udp");
  EXPECT_EQ(con.src_addr, "10.0.0.9");
  EXPECT_EQ(con.sport, "6000");
  EXPECT_EQ(con.dst_addr, "10.0.0.1");
  EXPECT_EQ(con.dport, "5000");
  EXPECT_EQ(con.state, "CON");
  EXPECT_EQ(con.dir, "<->");
  EXPECT_EQ(con.total_packets, 2u);
  EXPECT_EQ(con.total_bytes, 92u + 142u);
  EXPECT_EQ(con.src_bytes, 92u);
  EXPECT_EQ(dst_bytes(con), 142);
  EXPECT_EQ(con.duration_s, dur(0.25));
  const FlowRecord& one_way = records[1];
  EXPECT_EQ(one_way.state, "INT");
  EXPECT_EQ(one_way.dir, "->");
  EXPECT_EQ(one_way.dst_addr, "10.0.0.3");
  EXPECT_EQ(one_way.duration_s, 0);
  EXPECT_FALSE(one_way.dtos.has_value());  // no packet that way
}

// --max-flows: a new flow beyond the bound ends the least recently active one now (its record
// goes out, counted); a later packet of it starts a new record.
TEST(FlowTable, BeyondMaxFlowsTheLeastRecentlyActiveFlowEndsEarly) {
  std::vector<FlowRecord> records;
  FlowTableOptions options;
  options.max_flows = 2;
  FlowTable table(options, [&](FlowRecord&& record) { records.push_back(std::move(record)); });
  table.add(udp(0.0, "10.0.0.1", 5000, "10.0.0.9", 9999, 50));
  table.add(udp(1.0, "10.0.0.2", 5000, "10.0.0.9", 9999, 50));
  table.add(udp(1.5, "10.0.0.1", 5000, "10.0.0.9", 9999, 50));  // 10.0.0.1's flow is now the more recent
  EXPECT_TRUE(records.empty());
  table.add(udp(2.0, "10.0.0.3", 5000, "10.0.0.9", 9999, 50));  // a third flow: 10.0.0.2's ends
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].src_addr, "10.0.0.2");
  EXPECT_EQ(table.ended_early(), 1u);
  EXPECT_EQ(table.ended_active(), 1u);  // 1 s idle: within UDP's 30 s
  EXPECT_EQ(table.live_flows(), 2u);
  table.add(udp(40.0, "10.0.0.2", 5000, "10.0.0.9", 9999, 50));  // back: a new record, and 10.0.0.1's ends
  table.finish();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[1].src_addr, "10.0.0.1");
  EXPECT_EQ(records[1].total_packets, 2u);
  EXPECT_EQ(table.ended_early(), 2u);
  EXPECT_EQ(table.ended_active(), 1u);  // 38.5 s idle: past UDP's 30 s
  std::vector<std::string> rest = {records[2].src_addr.str(), records[3].src_addr.str()};
  std::sort(rest.begin(), rest.end());
  EXPECT_EQ(rest, (std::vector<std::string>{"10.0.0.2", "10.0.0.3"}));
}

TEST(FlowTable, IcmpEchoIsEcoAndALoneReplyIsReversedToEcr) {
  Flows flows;
  flows.add(icmp(0.0, "10.0.0.1", "10.0.0.2", 8, 0, 0x1234, 1, 56))
      .add(icmp(0.0005, "10.0.0.2", "10.0.0.1", 0, 0, 0x1234, 1, 56))
      .add(icmp(1.0, "10.0.0.2", "10.0.0.1", 0, 0, 0x1234, 9, 56));  // its request was not seen
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 2u);
  const FlowRecord& r = records[0];
  EXPECT_EQ(r.proto, "icmp");
  EXPECT_EQ(r.src_addr, "10.0.0.1");
  EXPECT_EQ(r.sport, "0x0008");
  EXPECT_EQ(r.dir, "<->");
  EXPECT_EQ(r.dst_addr, "10.0.0.2");
  EXPECT_EQ(r.dport, "0x3412");
  EXPECT_EQ(r.state, "ECO");
  EXPECT_EQ(r.total_packets, 2u);
  EXPECT_EQ(r.total_bytes, 196u);
  EXPECT_EQ(r.src_bytes, 98u);
  EXPECT_EQ(r.duration_s, dur(0.0005));
  const FlowRecord& reply = records[1];
  EXPECT_EQ(reply.src_addr, "10.0.0.1");  // the requester
  EXPECT_EQ(reply.sport, "0x0000");
  EXPECT_EQ(reply.dir, "<-");
  EXPECT_EQ(reply.dst_addr, "10.0.0.2");
  EXPECT_EQ(reply.dport, "0x3412");
  EXPECT_EQ(reply.state, "ECR");
  EXPECT_EQ(reply.total_packets, 1u);
  EXPECT_EQ(reply.src_bytes, 0u);
  EXPECT_EQ(src_packets(reply), 0);
  EXPECT_EQ(dst_packets(reply), 1);
}

TEST(FlowTable, IcmpErrorIsItsOwnFlowAndExtendsTheQuotedFlow) {
  Flows flows;
  flows.add(udp(0.0, "10.0.0.1", 5000, "10.0.0.2", 9999, 10));
  PacketView error = icmp(20.0, "10.0.0.2", "10.0.0.1", 3, 3, 0, 0, 28);  // quotes 20 + 8 bytes: 70-byte frame
  error.has_icmp_quote = true;
  error.icmp_quote.src = ip("10.0.0.1");
  error.icmp_quote.dst = ip("10.0.0.2");
  error.icmp_quote.protocol = ip_protocol::udp;
  error.icmp_quote.has_ports = true;
  error.icmp_quote.sport = 5000;
  error.icmp_quote.dport = 9999;
  flows.add(error);
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 2u);
  const FlowRecord& quoted = records[0];
  EXPECT_EQ(quoted.proto, "udp");
  EXPECT_EQ(quoted.total_packets, 1u);  // the error is not counted in it
  EXPECT_EQ(quoted.state, "INT");
  EXPECT_EQ(quoted.duration_s, dur(20.0));  // but its LastTime moves to the error
  const FlowRecord& r = records[1];
  EXPECT_EQ(r.proto, "icmp");
  EXPECT_EQ(r.src_addr, "10.0.0.2");
  EXPECT_EQ(r.sport, "0x0303");
  EXPECT_EQ(r.dir, "->");
  EXPECT_EQ(r.dst_addr, "10.0.0.1");
  EXPECT_EQ(r.dport, "0x0f27");
  EXPECT_EQ(r.state, "URP");
  EXPECT_EQ(r.total_packets, 1u);
  EXPECT_EQ(r.src_bytes, 70u);
  EXPECT_EQ(r.start_ns, at(20));
}

TEST(FlowTable, IdleTimeoutsNeverSplitARecord) {
  // 31 s and then 100 s of silence, with other traffic making argus scan its queues: still
  // one record (ARGUS-NOTES §8.1, udp_idle_bg). Only the 3600-s status interval splits.
  Flows flows;
  flows.add(udp(0.0, "10.0.0.1", 5000, "10.0.0.2", 9999, 10));
  for (double t : {10.0, 20.0, 30.0}) flows.add(udp(t, "10.0.0.3", 6000, "10.0.0.4", 6001, 10));
  flows.add(udp(31.0, "10.0.0.1", 5000, "10.0.0.2", 9999, 10));
  for (double t : {60.0, 100.0}) flows.add(udp(t, "10.0.0.3", 6000, "10.0.0.4", 6001, 10));
  flows.add(udp(131.0, "10.0.0.2", 9999, "10.0.0.1", 5000, 10));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 2u);
  const FlowRecord& r = records[0];
  EXPECT_EQ(r.src_addr, "10.0.0.1");
  EXPECT_EQ(r.total_packets, 3u);
  EXPECT_EQ(r.state, "CON");
  EXPECT_EQ(r.start_ns, at(0));
  EXPECT_EQ(r.duration_s, dur(131.0));
  EXPECT_EQ(records[1].total_packets, 5u);
}

TEST(FlowTable, StatusIntervalEndsARecordAtExactly3600Seconds) {
  Flows flows;
  flows.add(udp(0.0, "10.0.0.1", 5000, "10.0.0.2", 9999, 10))
      .add(udp(3599.999999, "10.0.0.1", 5000, "10.0.0.2", 9999, 10));
  EXPECT_TRUE(flows.records.empty());
  flows.add(udp(3600.0, "10.0.0.1", 5000, "10.0.0.2", 9999, 10));
  ASSERT_EQ(flows.records.size(), 1u);  // written when the packet that ends it arrives
  flows.add(udp(3700.0, "10.0.0.1", 5000, "10.0.0.2", 9999, 10));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].start_ns, at(0));
  EXPECT_EQ(records[0].total_packets, 2u);
  EXPECT_EQ(records[0].duration_s, dur(3599.999999));
  EXPECT_EQ(records[0].state, "INT");
  EXPECT_EQ(records[1].start_ns, at(3600));
  EXPECT_EQ(records[1].total_packets, 2u);
  EXPECT_EQ(records[1].duration_s, dur(100.0));
  EXPECT_EQ(records[1].state, "REQ");  // a continuation of the same flow object
  EXPECT_EQ(records[1].src_addr, "10.0.0.1");
}

// A DNS message asking for `name` (A, IN): a query, or a response with `rcode`.
std::vector<uint8_t> dns_message(std::string_view name, bool response, uint8_t rcode = 0) {
  std::vector<uint8_t> message = {0x12, 0x34, uint8_t(response ? 0x81 : 0x01), uint8_t(response ? 0x80 | rcode : 0),
                                  0, 1, 0, 0, 0, 0, 0, 0};
  for (size_t begin = 0; begin <= name.size();) {
    const size_t end = std::min(name.find('.', begin), name.size());
    message.push_back(uint8_t(end - begin));
    message.insert(message.end(), name.begin() + ptrdiff_t(begin), name.begin() + ptrdiff_t(end));
    begin = end + 1;
  }
  message.insert(message.end(), {0, 0, 1, 0, 1});
  return message;
}

PacketView dns(double t, const char* src, uint16_t sport, const char* dst, const std::vector<uint8_t>& message) {
  PacketView p = udp(t, src, sport, dst, 53, uint32_t(message.size()));
  if (std::string_view(src) != "10.0.0.1") std::swap(p.sport, p.dport);  // the server answers from port 53
  p.payload = message;
  return p;
}

TEST(FlowTable, EachRecordCarriesTheDnsMessagesOfItsOwnPackets) {
  const std::vector<uint8_t> query = dns_message("a.example.com", false),
                             nxdomain = dns_message("a.example.com", true, kDnsNxdomain),
                             other = dns_message("b.example.org", false);
  Flows flows;
  flows.add(dns(0.0, "10.0.0.1", 5000, "10.0.0.53", query))
      .add(dns(0.1, "10.0.0.53", 5000, "10.0.0.1", nxdomain))
      .add(dns(1.0, "10.0.0.1", 5000, "10.0.0.53", query))
      .add(udp(2.0, "10.0.0.1", 6000, "10.0.0.2", 9999, 10))  // not DNS
      .add(dns(3600.0, "10.0.0.1", 5000, "10.0.0.53", other));  // the status interval: a new record
  flows.finish();
  ASSERT_EQ(flows.records.size(), 3u);
  const FlowRecord& first = flows.records[0];
  EXPECT_EQ(first.dport, "53");
  EXPECT_EQ(first.dns.queries, 2u);
  EXPECT_EQ(first.dns.responses, 1u);
  EXPECT_EQ(first.dns.nxdomain, 1u);
  EXPECT_EQ(first.dns.name, "a.example.com");
  EXPECT_FALSE(flows.records[1].dns.decoded());  // port 9999
  const FlowRecord& continuation = flows.records[2];
  EXPECT_EQ(continuation.state, "REQ");
  EXPECT_EQ(continuation.dns.queries, 1u);  // only its own packet
  EXPECT_EQ(continuation.dns.responses, 0u);
  EXPECT_EQ(continuation.dns.name, "b.example.org");

  // A table finished starts over: its next flows (in the same slots) know nothing of before.
  flows.records.clear();
  flows.add(dns(4000.0, "10.0.0.1", 7000, "10.0.0.53", other))
      .add(udp(4001.0, "10.0.0.1", 5000, "10.0.0.53", 53, 12));  // port 53, not DNS
  flows.finish();
  ASSERT_EQ(flows.records.size(), 2u);
  EXPECT_EQ(flows.records[0].dns.queries, 1u);
  EXPECT_EQ(flows.records[0].dns.name, "b.example.org");
  EXPECT_FALSE(flows.records[1].dns.decoded());
}

TEST(FlowTable, ContinuationAfterAReportKeepsTheOrientation) {
  // No other traffic: the reply 3600.5 s later revives the reported object, which keeps
  // 10.0.0.1 as Src (udp_flip) and its TTL and TOS for the silent side (§6).
  Flows flows;
  flows.add(udp(0.0, "10.0.0.1", 5000, "10.0.0.2", 9999, 10, 64))
      .add(udp(3600.5, "10.0.0.2", 9999, "10.0.0.1", 5000, 10, 128));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].state, "INT");
  EXPECT_EQ(records[0].total_packets, 1u);
  const FlowRecord& r = records[1];
  EXPECT_EQ(r.src_addr, "10.0.0.1");
  EXPECT_EQ(r.sport, "5000");
  EXPECT_EQ(r.dst_addr, "10.0.0.2");
  EXPECT_EQ(r.dport, "9999");
  EXPECT_EQ(r.dir, "<-");
  EXPECT_EQ(r.state, "RSP");
  EXPECT_EQ(r.total_packets, 1u);
  EXPECT_EQ(r.src_bytes, 0u);
  EXPECT_EQ(r.start_ns, at(3600.5));
  EXPECT_EQ(r.get(ExtendedField::sTtl), 64);
  EXPECT_EQ(r.get(ExtendedField::dTtl), 128);
}

TEST(FlowTable, ReportedFlowIdlePastItsTimeoutStartsAFreshObject) {
  // Other traffic scans the queues after the report: the object, idle for more than UDP's
  // 30 s, is deleted, so the reply creates a new flow with the replier as Src (udp_flip_bg2).
  Flows flows;
  flows.add(udp(0.0, "10.0.0.1", 5000, "10.0.0.2", 9999, 10));
  for (double t : {3600.0, 3650.0, 3699.0}) flows.add(udp(t, "10.0.0.3", 6000, "10.0.0.4", 6001, 10));
  flows.add(udp(3700.0, "10.0.0.2", 9999, "10.0.0.1", 5000, 10));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].src_addr, "10.0.0.1");
  EXPECT_EQ(records[0].state, "INT");
  EXPECT_EQ(records[1].src_addr, "10.0.0.3");
  const FlowRecord& r = records[2];
  EXPECT_EQ(r.src_addr, "10.0.0.2");
  EXPECT_EQ(r.sport, "9999");
  EXPECT_EQ(r.dst_addr, "10.0.0.1");
  EXPECT_EQ(r.dport, "5000");
  EXPECT_EQ(r.dir, "->");
  EXPECT_EQ(r.state, "INT");
  EXPECT_EQ(r.start_ns, at(3700));
}

TEST(FlowTable, SynAfterFinWithoutDataStartsANewRecord) {
  // halfclose_syn: the client sent no data, so its FIN is never acked and a SYN re-opens.
  Tcp tcp;
  Flows flows;
  flows.add(tcp.c(0.00, S, 1000))
      .add(tcp.s(0.01, S | A, 5000, 1001))
      .add(tcp.c(0.02, A, 1001, 5001))
      .add(tcp.c(0.03, F | A, 1001, 5001))
      .add(tcp.s(0.04, A, 5001, 1002));
  EXPECT_TRUE(flows.records.empty());
  flows.add(tcp.c(1.04, S, 77777));
  ASSERT_EQ(flows.records.size(), 1u);  // the old record goes out at the SYN
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 2u);
  const FlowRecord& old = records[0];
  EXPECT_EQ(old.src_addr, "10.0.0.1");
  EXPECT_EQ(old.state, "FSA_SA");
  EXPECT_EQ(old.dir, "->");
  EXPECT_EQ(old.total_packets, 5u);
  EXPECT_EQ(old.src_bytes, 180u);
  EXPECT_EQ(old.start_ns, at(0));
  EXPECT_EQ(old.duration_s, dur(1.04));  // its LastTime is the SYN's, sent the same way
  const FlowRecord& reopened = records[1];
  EXPECT_EQ(reopened.src_addr, "10.0.0.1");
  EXPECT_EQ(reopened.sport, "40000");
  EXPECT_EQ(reopened.state, "S_");
  EXPECT_EQ(reopened.dir, "->");
  EXPECT_EQ(reopened.total_packets, 1u);
  EXPECT_EQ(reopened.start_ns, at(1.04));
  EXPECT_EQ(reopened.duration_s, 0);
}

TEST(FlowTable, ReopenByTheOtherSideKeepsTheKeysOrderForAddresses) {
  // r_syn_hi (ARGUS-NOTES §3.7, §6, §7): the server (the lower address) sends a RST, then the
  // client SYNs. The old record keeps only the RST (Dur 0: the SYN's side has no packets in
  // it, though the SYN's TTL lands there); the new record counts the client's packets as Src
  // but prints the server's address and port as SrcAddr. argus 3.0.8.2 prints the old record
  // as "10.0.0.2,80,?>,10.0.0.9,40000,R_" with sTtl 128, dTtl 64 (§6 calls it "_R", sTtl 64).
  Tcp tcp;
  tcp.client = "10.0.0.9";
  Flows flows;
  flows.add(tcp.s(0.0, R, 5000))
      .add(tcp.c(1.0, S, 1000))
      .add(tcp.s(1.01, S | A, 5000, 1001))
      .add(tcp.c(1.02, A, 1001, 5001))
      .add(tcp.c(1.03, P | A, 1001, 5001, 30));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 2u);
  const FlowRecord& old = records[0];
  EXPECT_EQ(old.src_addr, "10.0.0.2");
  EXPECT_EQ(old.sport, "80");
  EXPECT_EQ(old.dir, "?>");
  EXPECT_EQ(old.state, "R_");
  EXPECT_EQ(old.total_packets, 1u);
  EXPECT_EQ(old.duration_s, 0);
  EXPECT_EQ(old.get(ExtendedField::sTtl), 128);
  EXPECT_EQ(old.get(ExtendedField::dTtl), 64);
  const FlowRecord& r = records[1];
  EXPECT_EQ(r.src_addr, "10.0.0.2");
  EXPECT_EQ(r.sport, "80");
  EXPECT_EQ(r.dir, "->");
  EXPECT_EQ(r.dst_addr, "10.0.0.9");
  EXPECT_EQ(r.dport, "40000");
  EXPECT_EQ(r.state, "SPA_SA");
  EXPECT_EQ(r.total_packets, 4u);
  EXPECT_EQ(src_packets(r), 3);
  EXPECT_EQ(r.src_bytes, 204u);
  EXPECT_EQ(r.get(ExtendedField::sTtl), 64);
  EXPECT_EQ(r.start_ns, at(1.0));
  EXPECT_EQ(r.duration_s, dur(0.03));
}

TEST(FlowTable, PortReuseAfterACompleteCloseStaysOneRecord) {
  // reuse: after FIN, FIN, ACK with data both ways, a new SYN on the same ports merges.
  Tcp tcp;
  Flows flows;
  full_session(flows, tcp, 0);
  flows.add(tcp.c(1.7, S, 77777)).add(tcp.s(1.71, S | A, 9000, 77778)).add(tcp.c(1.72, A, 77778, 9001));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 1u);
  const FlowRecord& r = records[0];
  EXPECT_EQ(r.state, "FSPA_FSPA");
  EXPECT_EQ(r.total_packets, 11u);
  EXPECT_EQ(r.total_bytes, 1248u);
  EXPECT_EQ(r.src_bytes, 514u);
  EXPECT_EQ(src_packets(r), 7);
  EXPECT_EQ(r.duration_s, dur(1.72));
}

TEST(FlowTable, RecordsComeOutInArgusOrder) {
  // t21 order: a RST, then a SYN from the same client re-opens the connection (rst_syn): the
  // old record, whose LastTime is the SYN's, is written at once; finish() writes the rest by
  // the time they were created or re-opened.
  Tcp tcp;
  std::vector<PacketView> packets;
  for (int i = 0; i <= 10; ++i) packets.push_back(udp(i, "10.0.0.5", 1, "10.0.0.6", 2, 1));
  packets.push_back(udp(1.5, "10.0.0.7", 1, "10.0.0.8", 2, 1));
  for (const PacketView& p : {tcp.c(2.01, S, 1000), tcp.s(2.02, S | A, 5000, 1001), tcp.c(2.03, A, 1001, 5001),
                              tcp.c(3.03, R, 1001), tcp.c(5.03, S, 9000), tcp.s(5.04, S | A, 7000, 9001),
                              tcp.c(5.05, A, 9001, 7001)})
    packets.push_back(p);
  std::stable_sort(packets.begin(), packets.end(),
                   [](const PacketView& x, const PacketView& y) { return x.time_ns < y.time_ns; });
  Flows flows;
  for (const PacketView& p : packets) flows.add(p);
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].proto, "tcp");
  EXPECT_EQ(records[0].start_ns, at(2.01));
  EXPECT_EQ(records[0].state, "SRA_SA");
  EXPECT_EQ(records[0].total_packets, 4u);
  EXPECT_EQ(records[0].duration_s, dur(3.02));
  EXPECT_EQ(records[1].src_addr, "10.0.0.5");
  EXPECT_EQ(records[1].total_packets, 11u);
  EXPECT_EQ(records[1].duration_s, dur(10.0));
  EXPECT_EQ(records[2].src_addr, "10.0.0.7");
  EXPECT_EQ(records[2].start_ns, at(1.5));
  EXPECT_EQ(records[3].proto, "tcp");
  EXPECT_EQ(records[3].start_ns, at(5.03));
  EXPECT_EQ(records[3].state, "SA_SA");
}

TEST(FlowTable, ArpRequestAndReplyIsOneWhoRecord) {
  auto arp = [](double t, uint16_t operation, const char* sender, const char* target) {
    PacketView p;
    p.time_ns = at(t);
    p.wire_len = p.captured_len = p.flow_bytes = 60;
    p.network = Network::arp;
    p.has_macs = true;
    p.ethertype = 0x0806;
    p.arp.operation = operation;
    p.arp.hardware_type = 1;
    p.arp.protocol_type = 0x0800;
    p.arp.hardware_len = 6;
    p.arp.protocol_len = 4;
    p.arp.sender_ip = ip(sender);
    p.arp.target_ip = ip(target);
    p.arp.sender_mac = mac_of(p.arp.sender_ip);
    if (operation == 2) p.arp.target_mac = mac_of(p.arp.target_ip);
    p.mac_src = p.arp.sender_mac;
    p.mac_dst = operation == 2 ? p.arp.target_mac : MacAddress{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
    return p;
  };
  Flows flows;
  flows.add(arp(0.0, 1, "10.0.0.1", "10.0.0.2")).add(arp(0.001, 2, "10.0.0.2", "10.0.0.1"));
  flows.add(arp(0.5, 2, "10.0.0.4", "10.0.0.3"));  // a reply without its request
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 2u);
  const FlowRecord& r = records[0];
  EXPECT_EQ(r.proto, "arp");
  EXPECT_EQ(r.src_addr, "10.0.0.1");
  EXPECT_EQ(r.src_ip, ip("10.0.0.1"));
  EXPECT_EQ(r.sport, "");
  EXPECT_EQ(r.dir, "who");
  EXPECT_EQ(r.dst_addr, "10.0.0.2");
  EXPECT_EQ(r.dst_ip, ip("10.0.0.2"));
  EXPECT_EQ(r.dport, "");
  EXPECT_EQ(r.state, "CON");
  EXPECT_EQ(r.total_packets, 2u);
  EXPECT_EQ(r.src_bytes, 60u);
  EXPECT_FALSE(r.stos.has_value());
  EXPECT_TRUE(std::isnan(r.get(ExtendedField::sTtl)));
  const FlowRecord& reply = records[1];
  EXPECT_EQ(reply.src_addr, "10.0.0.3");  // the requester, although it sent nothing
  EXPECT_EQ(reply.dst_addr, "10.0.0.4");
  EXPECT_EQ(reply.state, "RSP");
  EXPECT_EQ(reply.dir, "who");
  EXPECT_EQ(reply.src_bytes, 0u);
  EXPECT_EQ(reply.total_packets, 1u);
}

TEST(FlowTable, MacFlowPrintsTheLowerMacFirst) {
  PacketView frame;
  frame.time_ns = at(0);
  frame.wire_len = frame.captured_len = frame.flow_bytes = 60;
  frame.network = Network::other_ether;
  frame.has_macs = true;
  frame.mac_src = MacAddress{{0x00, 0x22, 0x22, 0x22, 0x22, 0x22}};
  frame.mac_dst = MacAddress{{0x00, 0x11, 0x11, 0x11, 0x11, 0x11}};
  frame.ethertype = 0x9000;
  Flows flows;
  flows.add(frame);
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 1u);
  const FlowRecord& r = records[0];
  EXPECT_EQ(r.proto, "loop");
  EXPECT_EQ(r.src_addr, "00:11:11:11:11:11");
  EXPECT_FALSE(r.src_ip.has_value());  // a MAC address has no IP numbers
  EXPECT_FALSE(r.dst_ip.has_value());
  EXPECT_EQ(r.sport, "0");
  EXPECT_EQ(r.dir, "->");
  EXPECT_EQ(r.dst_addr, "00:22:22:22:22:22");
  EXPECT_EQ(r.dport, "0");
  EXPECT_EQ(r.state, "INT");
  EXPECT_EQ(r.src_bytes, 60u);
  EXPECT_EQ(src_packets(r), 1);
  EXPECT_FALSE(r.stos.has_value());
}

TEST(FlowTable, LaterFragmentsCountInTheirDatagramsFlow) {
  // A 3000-byte UDP datagram in fragments of 1400 (+8 UDP header in the first), then a reply.
  Flows flows;
  PacketView first = udp(0.0, "10.0.0.1", 1000, "10.0.0.2", 2000, 3000);
  first.ip_payload_len = 1400;  // this fragment's part
  first.wire_len = first.captured_len = first.flow_bytes = 14 + 20 + 1400;
  first.payload_len = 1392;
  first.payload = std::span<const uint8_t>(kZeros).first(1392);
  first.ip_id = 777;
  first.is_fragment = first.more_fragments = true;
  flows.add(first);
  for (uint32_t offset : {1400u, 2800u}) {
    PacketView tail = ipv4(offset / 14000.0, "10.0.0.1", "10.0.0.2", ip_protocol::udp, offset == 1400 ? 1400 : 208);
    tail.ip_id = 777;
    tail.fragment_offset = offset;
    tail.more_fragments = offset == 1400;
    tail.is_fragment = true;
    flows.add(tail);
  }
  flows.add(udp(0.3, "10.0.0.2", 2000, "10.0.0.1", 1000, 10));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 1u);
  const FlowRecord& r = records[0];
  EXPECT_EQ(r.src_addr, "10.0.0.1");
  EXPECT_EQ(r.sport, "1000");
  EXPECT_EQ(r.state, "CON");
  EXPECT_EQ(r.total_packets, 4u);
  EXPECT_EQ(src_packets(r), 3);
  EXPECT_EQ(r.src_bytes, 1434u + 1434u + 242u);
  EXPECT_EQ(r.total_bytes, 1434u + 1434u + 242u + 60u);
  EXPECT_EQ(r.duration_s, dur(0.3));
}

TEST(FlowTable, TtlAndTosAreTheLastPacketsOfEachSide) {
  // t9 ttl.pcap: TTL 10, 11, 12 and TOS 0x10, 0x11, 0xb8 one way; 20, 21 and 0x20, 0x21 back.
  Flows flows;
  const uint8_t ttl[] = {10, 20, 11, 21, 12}, tos[] = {0x10, 0x20, 0x11, 0x21, 0xb8};
  for (int i = 0; i < 5; ++i) {
    PacketView p = i % 2 == 0 ? udp(i * 0.1, "10.0.0.1", 1000, "10.0.0.2", 2000, 1)
                              : udp(i * 0.1, "10.0.0.2", 2000, "10.0.0.1", 1000, 1);
    p.ttl = ttl[i];
    p.tos = tos[i];
    flows.add(p);
  }
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].stos, 184);
  EXPECT_EQ(records[0].dtos, 0x21);
  EXPECT_EQ(records[0].get(ExtendedField::sTtl), 12);
  EXPECT_EQ(records[0].get(ExtendedField::dTtl), 21);
}

TEST(FlowTable, MoreThan1000PacketsInNoTimeIsAnErrRecord) {
  Flows flows;
  for (int i = 0; i < 1001; ++i) flows.add(udp(0.0, "10.0.0.1", 5000, "10.0.0.2", 9999, 10));
  for (int i = 0; i < 1000; ++i) flows.add(udp(0.0, "10.0.0.1", 5001, "10.0.0.2", 9999, 10));
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].state, "ERR");
  EXPECT_EQ(records[0].dir, "");
  EXPECT_EQ(records[0].total_packets, 0u);
  EXPECT_EQ(records[0].total_bytes, 0u);
  EXPECT_EQ(records[0].src_bytes, 0u);
  EXPECT_EQ(records[1].state, "INT");
  EXPECT_EQ(records[1].total_packets, 1000u);
  EXPECT_EQ(records[1].total_bytes, 60000u);
}

TEST(FlowTable, TimesAreTruncatedToMicroseconds) {
  Flows flows;
  PacketView first = udp(0.0, "10.0.0.1", 5000, "10.0.0.2", 9999, 10);
  first.time_ns = kStartNs + 924'505'488;
  PacketView second = first;
  second.time_ns = kStartNs + 1'924'505'999;
  flows.add(first).add(second);
  const auto& records = flows.finish();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].start_ns, kStartNs + 924'505'000);
  EXPECT_EQ(records[0].duration_s, dur(1.0));
}

// A live capture: when the link goes quiet, advance_to(now) hands over the windows whose time
// has passed, with their flows, without waiting for another packet.
TEST(WindowedFlows, AQuietLinkClosesWindowsInRealTime) {
  WindowSpec spec;
  spec.window_ns = 10'000'000'000;
  spec.step_ns = 10'000'000'000;
  spec.align = WindowAlign::first;
  std::vector<FlowRecord> records;
  std::vector<Window> done;
  WindowedFlows flows(
      spec, FlowTableOptions{}, [&](FlowRecord&& record) { records.push_back(std::move(record)); },
      [&](const Window& window) { done.push_back(window); });
  flows.add(udp(0.5, "10.0.0.1", 5353, "10.0.0.2", 53, 40));
  flows.add(udp(0.6, "10.0.0.2", 53, "10.0.0.1", 5353, 80));
  flows.advance_to(at(10.9));  // window 0 ends at 10 s; packets up to 1 s late still count
  EXPECT_TRUE(done.empty());
  flows.advance_to(at(11.0));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].start_ns, at(0));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].window_start_ns, at(0));
  EXPECT_EQ(flows.windows_done(), 1u);
  flows.finish();  // nothing else was open
  EXPECT_EQ(done.size(), 1u);
}

// Before a window's records come, the consumer is told how many there will be (so it can
// make room for them at once), and each window's count is its own.
TEST(WindowedFlows, TellsHowManyRecordsAWindowWillHaveBeforeTheFirst) {
  WindowSpec spec;
  spec.window_ns = 10'000'000'000;
  spec.step_ns = 10'000'000'000;
  spec.align = WindowAlign::first;
  std::vector<std::string> events;
  WindowedFlows flows(
      spec, FlowTableOptions{},
      [&](FlowRecord&& record) { events.push_back("record " + record.dst_addr.str()); },
      [&](const Window&) { events.push_back("done"); },
      [&](size_t records) { events.push_back("closing " + std::to_string(records)); });
  flows.add(udp(0.5, "10.0.0.1", 5353, "10.0.0.2", 53, 40));
  flows.add(udp(0.6, "10.0.0.1", 5353, "10.0.0.3", 53, 40));
  flows.add(udp(0.7, "10.0.0.1", 5353, "10.0.0.4", 53, 40));
  flows.add(udp(12.0, "10.0.0.1", 5353, "10.0.0.5", 53, 40));  // window 1, closes window 0
  flows.finish();
  EXPECT_EQ(events, (std::vector<std::string>{"closing 3", "record 10.0.0.2", "record 10.0.0.3", "record 10.0.0.4",
                                              "done", "closing 1", "record 10.0.0.5", "done"}));
}

}  // namespace
}  // namespace botd
