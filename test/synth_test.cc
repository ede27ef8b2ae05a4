// botd-synth, the generator of the example and of test captures: deterministic, and its
// packets are plausible enough that tshark and argus read them without complaint. Its opt-in
// bot families (--family) produce what they promise, measured from the capture as botd's own
// reader sees it, and without --family every output is what it always was.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "capture/packet_source.h"
#include "model/input_digest.h"
#include "test_support.h"

namespace botd {
namespace {

using test::quote;
using test::synth_binary;


test::CommandResult synth(const std::filesystem::path& out, int seed, const std::string& more = "") {
  return test::run(fmt::format("{} --seed {} {} -o {}", quote(synth_binary()), seed, more, quote(out)));
}

int truth_host_lines(const std::filesystem::path& truth) {
  int hosts = 0;
  for (const std::string& line : test::CommandResult{0, test::read_file(truth), ""}.out_lines())
    hosts += !line.empty() && line[0] != '#';
  return hosts;
}

TEST(Synth, SameSeedSameBytes) {
  test::TempDir dir;
  ASSERT_EQ(synth(dir / "a.pcap", 7).exit_code, 0);
  ASSERT_EQ(synth(dir / "b.pcap", 7).exit_code, 0);
  ASSERT_EQ(synth(dir / "c.pcap", 8).exit_code, 0);
  const std::string a = test::read_file(dir / "a.pcap");
  EXPECT_GT(a.size(), 10'000'000u);
  EXPECT_EQ(a, test::read_file(dir / "b.pcap"));
  EXPECT_EQ(test::read_file(dir / "a.truth"), test::read_file(dir / "b.truth"));
  EXPECT_EQ(test::read_file(dir / "a.hosts.tsv"), test::read_file(dir / "b.hosts.tsv"));
  EXPECT_NE(a, test::read_file(dir / "c.pcap"));
  // Four bots, each with its active time range.
  EXPECT_EQ(truth_host_lines(dir / "a.truth"), 4);
}

// The outputs of seeds 1-6 without --family (seed 1 is the bundled example; 2-6 train and
// evaluate models) as they were before the families were added. Anything that changes a draw
// or a byte of the default scenario fails here; a deliberate change of the generator must
// update these digests (`sha256sum` of `botd-synth --seed N -o sN.pcap`'s three files) and
// everything made from its captures.
TEST(Synth, WithoutFamiliesSeedsOneToSixAreUnchanged) {
  const std::map<std::string, std::string> expected = {
      {"s1.pcap", "851a89d17faf68e107e7c5103116f7c37d63de8b5f0a4f4740ccfd9848a5b7d4"},
      {"s1.truth", "f58425de6503898ff2aa3f1da7b9069b447f24e5f0ba0bce8e4195492b09584e"},
      {"s1.hosts.tsv", "05fd3806f451f82348786d702ddef16a4ee5a14efd8d5dec15624ed9a5a902c0"},
      {"s2.pcap", "37375f32984f387e2376a7aa2889dc99e6ca55e1334f9982fd1672aea5ca8ae8"},
      {"s2.truth", "42ec26552965081f9fed52c486e01dcb629bef72e5f767ad9ad818432990cc01"},
      {"s2.hosts.tsv", "fe335d116927227e59eaddacf042d456b80d28c5a38e8b7153cf25c320d663ce"},
      {"s3.pcap", "fa62c79a797c8d3f6825e90ae4074b316ab8c701f5947d4873ff0eac241ad2f4"},
      {"s3.truth", "2ed2354c0df16ea659f8dc90302bb04c78f9f23241f371e95ae4f4d332ddf28f"},
      {"s3.hosts.tsv", "5aa6a0cbe239fbd4eb67cbdfd5bc9f06007b54d192c06bdce82ff2bb82ce1c05"},
      {"s4.pcap", "61ccf62a91de1ce242e6872f613c3e6560b8dc6e19b275da75af337f9596231a"},
      {"s4.truth", "f650604da6863e17db77642862ab270eddff866314511e31dfe84174891a20ea"},
      {"s4.hosts.tsv", "fda8b5acad1ab10f6a0d64eaa55afc7d91ab1336f8909042c6a0570db0d8176f"},
      {"s5.pcap", "419c3736e3e2b1c894a9f1c9f85a119fa1047a6c45ffb46be82fbe0b07f054e5"},
      {"s5.truth", "ba5aa5d38af54fbe6fdb1b0a35aa01eebedd329e2206ebc8e2f9298e803ac785"},
      {"s5.hosts.tsv", "995035d83b40cba78ed8f01a26161cc8d4ad000bda9636865566f54ea14b0ff9"},
      {"s6.pcap", "e7569510b19bf989f1b355b61977156f0f719202efcd34bc0dcfc5296005bd95"},
      {"s6.truth", "d22c1f8259426cfe532f984f06572a8a4119d9e1f528c513e637663f1a2dbc39"},
      {"s6.hosts.tsv", "8b336317923b1227a701e1e4e4d65a490af901a1b7f672d63ee5f3159b4dc969"},
  };
  for (int seed = 1; seed <= 6; ++seed) {
    test::TempDir dir;
    const std::string base = fmt::format("s{}", seed);
    ASSERT_EQ(synth(dir / (base + ".pcap"), seed).exit_code, 0);
    for (const char* extension : {".pcap", ".truth", ".hosts.tsv"}) {
      const std::string name = base + extension;
      EXPECT_EQ(describe_input_file(dir / name).sha256, expected.at(name)) << name;
    }
  }
}

TEST(Synth, FamiliesAreDeterministicAndAddOneBotEach) {
  test::TempDir dir;
  ASSERT_EQ(synth(dir / "a.pcap", 7, "--family all").exit_code, 0);
  // The same families named another way, in another order: the same capture.
  ASSERT_EQ(synth(dir / "b.pcap", 7, "--family https-beacon,p2p --family dns-beacon --family p2p").exit_code, 0);
  ASSERT_EQ(synth(dir / "plain.pcap", 7).exit_code, 0);
  const std::string a = test::read_file(dir / "a.pcap");
  EXPECT_EQ(a, test::read_file(dir / "b.pcap"));
  EXPECT_EQ(test::read_file(dir / "a.truth"), test::read_file(dir / "b.truth"));
  EXPECT_EQ(test::read_file(dir / "a.hosts.tsv"), test::read_file(dir / "b.hosts.tsv"));
  EXPECT_GT(a.size(), test::read_file(dir / "plain.pcap").size());

  // Seven bots: the four of the default scenario and one per family, in the ground truth
  // (with their families) and in the host list.
  EXPECT_EQ(truth_host_lines(dir / "a.truth"), 7);
  const std::string truth = test::read_file(dir / "a.truth");
  EXPECT_NE(truth.find(" families=p2p,dns-beacon,https-beacon\n"), std::string::npos) << truth;
  EXPECT_NE(truth.find("# 192.168.1.70 family=p2p behaviours=dns,http,tls,ntp,arp,p2p-udp\n"), std::string::npos);
  EXPECT_NE(truth.find("# 192.168.1.71 family=dns-beacon behaviours=dns,arp,dga-dns,http-beacon\n"), std::string::npos);
  EXPECT_NE(truth.find("# 192.168.1.72 family=https-beacon behaviours=dns,arp,tls-beacon\n"), std::string::npos);
  for (const char* host : {"192.168.1.70 ", "192.168.1.71 ", "192.168.1.72 "})
    EXPECT_NE(truth.find(std::string("\n") + host + "2025-03-05T10:0"), std::string::npos) << host;
  const std::string hosts = test::read_file(dir / "a.hosts.tsv");
  for (const char* host : {"192.168.1.70\tbot\t", "192.168.1.71\tbot\t", "192.168.1.72\tbot\t"})
    EXPECT_NE(hosts.find(host), std::string::npos) << host;

  // One family only: its bot and no other new one.
  ASSERT_EQ(synth(dir / "one.pcap", 7, "--family dns-beacon").exit_code, 0);
  EXPECT_EQ(truth_host_lines(dir / "one.truth"), 5);
}

TEST(Synth, UnknownFamilyIsRefused) {
  test::TempDir dir;
  const auto result = synth(dir / "x.pcap", 1, "--family p2p,irc");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("unknown family 'irc'"), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.pcap"));
}

// ---------------------------------------------------------------- measured from the capture

// One IPv4 packet sent or received by the host under study, as botd's capture reader decodes it.
struct HostPacket {
  double time = 0;  // seconds since the epoch
  bool outgoing = false;
  std::string remote;
  uint8_t protocol = 0;
  uint16_t local_port = 0, remote_port = 0;
  uint8_t tcp_flags = 0;
  uint32_t wire_len = 0;
  uint32_t payload_len = 0;
  std::vector<uint8_t> head;  // the first payload bytes (at most 128)
};

std::vector<HostPacket> packets_of(const std::filesystem::path& capture, const std::string& host) {
  const IpAddress address = *IpAddress::parse(host);
  std::vector<HostPacket> packets;
  PacketSource source(capture.string());
  DecodedPacket packet;
  while (source.next(packet)) {
    EXPECT_EQ(packet.damage, Damage::none);
    const PacketView& v = packet.view;
    if (v.network != Network::ipv4 || (v.src != address && v.dst != address)) continue;
    HostPacket p;
    p.time = static_cast<double>(v.time_ns) / 1e9;
    p.outgoing = v.src == address;
    p.remote = (p.outgoing ? v.dst : v.src).to_string();
    p.protocol = v.ip_protocol;
    p.local_port = p.outgoing ? v.sport : v.dport;
    p.remote_port = p.outgoing ? v.dport : v.sport;
    p.tcp_flags = v.tcp_flags;
    p.wire_len = v.wire_len;
    p.payload_len = v.payload_len;
    p.head.assign(v.payload.begin(), v.payload.begin() + static_cast<ptrdiff_t>(std::min<size_t>(v.payload.size(), 128)));
    packets.push_back(std::move(p));
  }
  return packets;
}

bool is_dns(const HostPacket& p) { return p.protocol == ip_protocol::udp && p.remote_port == 53 && p.head.size() >= 12; }
bool is_dns_response(const HostPacket& p) { return (p.head[2] & 0x80) != 0; }
int dns_rcode(const HostPacket& p) { return p.head[3] & 0x0f; }

// The question name of a DNS message ("" when it does not fit in the head).
std::string dns_question_name(const HostPacket& p) {
  std::string name;
  for (size_t at = 12; at < p.head.size();) {
    const size_t length = p.head[at];
    if (length == 0) return name;
    if (at + 1 + length > p.head.size()) return "";
    if (!name.empty()) name += '.';
    name.append(p.head.begin() + static_cast<ptrdiff_t>(at + 1), p.head.begin() + static_cast<ptrdiff_t>(at + 1 + length));
    at += 1 + length;
  }
  return "";
}

bool is_syn(const HostPacket& p) { return p.protocol == ip_protocol::tcp && p.tcp_flags == tcp_flag::syn; }

// Standard deviation / mean.
double coefficient_of_variation(const std::vector<double>& values) {
  if (values.empty()) return 0;
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double squares = 0;
  for (double value : values) squares += (value - mean) * (value - mean);
  return std::sqrt(squares / static_cast<double>(values.size())) / mean;
}

struct Gaps {
  size_t count = 0;
  double min = 0, max = 0, mean = 0, cv = 0;  // cv: standard deviation / mean
};

Gaps gaps_between(const std::vector<double>& times) {
  std::vector<double> gaps;
  for (size_t i = 1; i < times.size(); ++i) gaps.push_back(times[i] - times[i - 1]);
  Gaps g;
  g.count = gaps.size();
  if (gaps.empty()) return g;
  g.min = *std::min_element(gaps.begin(), gaps.end());
  g.max = *std::max_element(gaps.begin(), gaps.end());
  g.mean = std::accumulate(gaps.begin(), gaps.end(), 0.0) / static_cast<double>(gaps.size());
  g.cv = coefficient_of_variation(gaps);
  return g;
}

// Per TCP connection of the host (by its local port): bytes each way.
struct Connection {
  std::string server;
  uint64_t client_payload = 0, server_payload = 0, wire_bytes = 0;
  std::vector<uint8_t> first_client_payload;
};

std::map<uint16_t, Connection> tcp_connections(const std::vector<HostPacket>& packets, uint16_t server_port) {
  std::map<uint16_t, Connection> connections;
  for (const HostPacket& p : packets) {
    if (p.protocol != ip_protocol::tcp || p.remote_port != server_port) continue;
    Connection& c = connections[p.local_port];
    c.server = p.remote;
    c.wire_bytes += p.wire_len;
    (p.outgoing ? c.client_payload : c.server_payload) += p.payload_len;
    if (p.outgoing && p.payload_len > 0 && c.first_client_payload.empty()) c.first_client_payload = p.head;
  }
  return connections;
}

// Peer-to-peer bot: UDP from one port of its own to hundreds of peers an hour, each at a random
// high port, about 40% of them never answering; web and DNS of a user besides.
TEST(Synth, P2pFamilyTalksToHundredsOfPeersOnRandomHighPorts) {
  test::TempDir dir;
  ASSERT_EQ(synth(dir / "p.pcap", 1, "--family p2p").exit_code, 0);
  const std::vector<HostPacket> packets = packets_of(dir / "p.pcap", "192.168.1.70");

  std::set<std::pair<std::string, uint16_t>> contacted, answering;
  std::set<std::string> peers;
  std::set<uint16_t> peer_ports, own_ports;
  std::map<std::string, double> first_contact;
  int web_connections = 0, dns_queries = 0;
  for (const HostPacket& p : packets) {
    if (is_dns(p)) dns_queries += p.outgoing && !is_dns_response(p);
    if (is_syn(p) && p.outgoing && (p.remote_port == 80 || p.remote_port == 443)) ++web_connections;
    if (p.protocol != ip_protocol::udp || p.remote_port == 53 || p.remote_port == 123) continue;
    if (!p.outgoing) {
      answering.insert({p.remote, p.remote_port});
      continue;
    }
    contacted.insert({p.remote, p.remote_port});
    peers.insert(p.remote);
    peer_ports.insert(p.remote_port);
    own_ports.insert(p.local_port);
    first_contact.try_emplace(p.remote, p.time);
    EXPECT_GE(p.remote_port, 10000);
  }
  EXPECT_EQ(own_ports.size(), 1u);
  EXPECT_GE(peers.size(), 300u);
  EXPECT_GE(peer_ports.size(), 300u);
  EXPECT_LE(peer_ports.size(), 500u);
  // Hundreds of new peers in the first hour of peer traffic.
  ASSERT_FALSE(first_contact.empty());
  const double start = std::min_element(first_contact.begin(), first_contact.end(),
                                        [](const auto& a, const auto& b) { return a.second < b.second; })->second;
  EXPECT_GE(std::count_if(first_contact.begin(), first_contact.end(),
                          [start](const auto& peer) { return peer.second < start + 3600; }),
            250);
  // Every answer comes from a peer the bot contacted; about 40% of the peers never answer.
  EXPECT_TRUE(std::includes(contacted.begin(), contacted.end(), answering.begin(), answering.end()));
  const double unanswered = 1.0 - static_cast<double>(answering.size()) / static_cast<double>(contacted.size());
  EXPECT_GE(unanswered, 0.30);
  EXPECT_LE(unanswered, 0.55);
  EXPECT_GE(web_connections, 10);
  EXPECT_GE(dns_queries, 10);
  RecordProperty("peers", static_cast<int>(peers.size()));
  RecordProperty("peer_ports", static_cast<int>(peer_ports.size()));
  RecordProperty("unanswered_percent", static_cast<int>(std::lround(100 * unanswered)));
}

// DGA bot: thousands of DNS queries per 10 minutes, to five resolvers of which one never answers,
// answered NXDOMAIN for nearly all its random-looking names; and an HTTP beacon to one server
// every 60 s +-20%, its connections all of nearly one size.
TEST(Synth, DnsBeaconFamilyQueriesThousandsOfDgaNamesAndBeaconsWithJitter) {
  test::TempDir dir;
  ASSERT_EQ(synth(dir / "d.pcap", 1, "--family dns-beacon").exit_code, 0);
  const std::vector<HostPacket> packets = packets_of(dir / "d.pcap", "192.168.1.71");

  std::vector<double> query_times;
  std::map<std::string, int> queries_to, answers_from;
  std::set<std::string> names;
  int nxdomain = 0, answers = 0, short_names = 0;
  for (const HostPacket& p : packets) {
    if (!is_dns(p)) continue;
    if (p.outgoing) {
      EXPECT_FALSE(is_dns_response(p));
      query_times.push_back(p.time);
      ++queries_to[p.remote];
      const std::string name = dns_question_name(p);
      names.insert(name);
      short_names += name.find('.') < 10;
    } else {
      EXPECT_TRUE(is_dns_response(p));
      ++answers;
      ++answers_from[p.remote];
      nxdomain += dns_rcode(p) == 3;
    }
  }
  ASSERT_FALSE(query_times.empty());
  // Every whole 10 minutes from the first query holds thousands of them.
  int windows = 0;
  for (double from = query_times.front(); from + 600 <= query_times.back(); from += 600, ++windows) {
    const auto in_window = std::count_if(query_times.begin(), query_times.end(),
                                         [from](double t) { return t >= from && t < from + 600; });
    EXPECT_GE(in_window, 2000) << "10 minutes from " << from;
  }
  EXPECT_GE(windows, 6);
  // Five resolvers: the gateway, three public ones, and one that is no resolver at all.
  EXPECT_EQ(queries_to.size(), 5u);
  for (const char* resolver : {"192.168.1.1", "8.8.8.8", "1.1.1.1", "9.9.9.9"}) {
    EXPECT_GE(queries_to[resolver], 100) << resolver;
    EXPECT_LE(queries_to[resolver] - answers_from[resolver], 1) << resolver;  // one may be cut by the capture's end
  }
  EXPECT_EQ(answers_from.size(), 4u);
  int silent = 0;
  for (const auto& [resolver, count] : queries_to)
    if (!answers_from.contains(resolver)) silent += count >= 100;
  EXPECT_EQ(silent, 1);
  // DGA-like: (nearly) every name asked once, with a long random first label; NXDOMAIN answers.
  EXPECT_GE(static_cast<double>(names.size()), 0.95 * static_cast<double>(query_times.size()));
  EXPECT_EQ(short_names, 0);
  const double nxdomain_share = static_cast<double>(nxdomain) / answers;
  EXPECT_GE(nxdomain_share, 0.9);
  EXPECT_LT(nxdomain, answers);  // its C&C name resolves

  // The beacon: SYNs to one web server about every 60 s, jittered by up to 20%.
  std::vector<double> syn_times;
  std::set<std::string> servers;
  for (const HostPacket& p : packets)
    if (is_syn(p) && p.outgoing) {
      syn_times.push_back(p.time);
      servers.insert(fmt::format("{}:{}", p.remote, p.remote_port));
    }
  EXPECT_EQ(servers, (std::set<std::string>{"203.0.113.90:80"}));
  const Gaps gaps = gaps_between(syn_times);
  EXPECT_GE(gaps.count, 60u);
  EXPECT_NEAR(gaps.mean, 60.0, 3.0);
  EXPECT_GE(gaps.min, 47.0);
  EXPECT_LE(gaps.max, 73.0);
  EXPECT_GE(gaps.cv, 0.05);  // jittered, not a metronome
  EXPECT_LE(gaps.cv, 0.20);
  // Near-identical sizes: requests of one size, replies within a few bytes of each other, and
  // whole connections (whose ACKs vary by a packet or two) within a few percent.
  const std::map<uint16_t, Connection> connections = tcp_connections(packets, 80);
  ASSERT_EQ(connections.size(), syn_times.size());
  std::vector<uint64_t> requests, replies;
  std::vector<double> totals;
  for (const auto& [port, c] : connections) {
    requests.push_back(c.client_payload);
    replies.push_back(c.server_payload);
    totals.push_back(static_cast<double>(c.wire_bytes));
  }
  EXPECT_EQ(*std::min_element(requests.begin(), requests.end()), *std::max_element(requests.begin(), requests.end()));
  EXPECT_LE(*std::max_element(replies.begin(), replies.end()) - *std::min_element(replies.begin(), replies.end()), 8u);
  EXPECT_LE(*std::max_element(totals.begin(), totals.end()), 1.15 * *std::min_element(totals.begin(), totals.end()));
  EXPECT_LE(coefficient_of_variation(totals), 0.05);
  RecordProperty("queries", static_cast<int>(query_times.size()));
  RecordProperty("nxdomain_percent", static_cast<int>(std::lround(100 * nxdomain_share)));
  RecordProperty("beacon_mean_gap_ms", static_cast<int>(std::lround(1000 * gaps.mean)));
}

// HTTPS beacon with long sleeps: one TLS connection of a few KB every 10-30 minutes, jittered,
// and next to nothing else (DNS lookups of its server). Six hours, to have gaps to measure.
TEST(Synth, HttpsBeaconFamilySleepsTenToThirtyMinutesBetweenTlsCheckIns) {
  test::TempDir dir;
  ASSERT_EQ(synth(dir / "h.pcap", 1, "--family https-beacon --duration 21600 --scale 0.05").exit_code, 0);
  const std::vector<HostPacket> packets = packets_of(dir / "h.pcap", "192.168.1.72");

  std::vector<double> syn_times;
  uint64_t wire_bytes = 0;
  for (const HostPacket& p : packets) {
    wire_bytes += p.wire_len;
    // Nothing but the beacon and its lookups.
    EXPECT_TRUE((p.protocol == ip_protocol::tcp && p.remote == "203.0.113.140" && p.remote_port == 443) ||
                (is_dns(p) && p.remote == "192.168.1.1"))
        << p.remote << ":" << p.remote_port;
    if (is_syn(p) && p.outgoing) syn_times.push_back(p.time);
  }
  const Gaps gaps = gaps_between(syn_times);
  EXPECT_GE(gaps.count, 11u);
  EXPECT_LE(gaps.count, 36u);
  EXPECT_GE(gaps.min, 600.0);
  EXPECT_LE(gaps.max, 1805.0);
  EXPECT_GE(gaps.mean, 900.0);
  EXPECT_LE(gaps.mean, 1500.0);
  EXPECT_GE(gaps.cv, 0.1);
  // Each check-in: a full handshake, a TLS ClientHello first, a few KB both ways together.
  const std::map<uint16_t, Connection> connections = tcp_connections(packets, 443);
  EXPECT_EQ(connections.size(), syn_times.size());
  for (const auto& [port, c] : connections) {
    ASSERT_GE(c.first_client_payload.size(), 6u);
    EXPECT_EQ(c.first_client_payload[0], 0x16);  // handshake record
    EXPECT_EQ(c.first_client_payload[5], 0x01);  // ClientHello
    EXPECT_GE(c.client_payload + c.server_payload, 2000u);
    EXPECT_LE(c.client_payload + c.server_payload, 10000u);
    EXPECT_GT(c.server_payload, c.client_payload);
  }
  // Very low volume: under 40 KB an hour all told.
  EXPECT_LT(static_cast<double>(wire_bytes) / 6.0, 40'000.0);
  RecordProperty("check_ins", static_cast<int>(syn_times.size()));
  RecordProperty("mean_gap_s", static_cast<int>(std::lround(gaps.mean)));
}

// ---------------------------------------------------------------- other readers

// What tshark reports as a bad checksum, a malformed packet or an error ("" when nothing).
std::string tshark_complaints(const std::filesystem::path& capture) {
  return test::run(
             "tshark -n -r " + quote(capture) +
             " -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE"
             " -Y 'ip.checksum.status==0 || tcp.checksum.status==0 || udp.checksum.status==0 ||"
             " icmp.checksum.status==0 || _ws.malformed || _ws.expert.severity==error' 2>&1 | grep -v 'Running as user'")
      .out;
}

TEST(Synth, TsharkFindsNoBadChecksumOrMalformedPacket) {
  REQUIRE_TOOL("tshark");
  test::TempDir dir;
  ASSERT_EQ(synth(dir / "s.pcap", 1).exit_code, 0);
  EXPECT_EQ(tshark_complaints(dir / "s.pcap"), "");
}

TEST(Synth, TsharkFindsNoBadChecksumOrMalformedPacketWithFamilies) {
  REQUIRE_TOOL("tshark");
  test::TempDir dir;
  ASSERT_EQ(synth(dir / "f.pcap", 1, "--family all").exit_code, 0);
  EXPECT_EQ(tshark_complaints(dir / "f.pcap"), "");
  // The DGA's answers decode as DNS NXDOMAIN with the TLD's SOA in the authority section.
  const auto nxdomain = test::run("tshark -n -r " + quote(dir / "f.pcap") +
                                  " -Y 'ip.dst==192.168.1.71 && dns.flags.rcode==3 && dns.soa.mname' 2>/dev/null | wc -l");
  EXPECT_GT(std::stoi(nxdomain.out), 10'000);
}

TEST(Synth, ArgusReadsItWithoutErrors) {
  REQUIRE_TOOL("argus");
  REQUIRE_DATA();
  test::TempDir dir;
  ASSERT_EQ(synth(dir / "s.pcap", 1).exit_code, 0);
  const auto flows = test::run(quote(test::data_dir().parent_path() / "tools/argus-flows") + " " + quote(dir / "s.pcap"));
  EXPECT_EQ(flows.exit_code, 0);
  EXPECT_EQ(flows.err, "");
  EXPECT_GT(flows.out_lines().size(), 10'000u);
}

}  // namespace
}  // namespace botd
