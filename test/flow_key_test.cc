// FlowKey on hand-built PacketViews: one canonical key for both directions of a conversation,
// which end is "a", and the per-protocol keys of ARGUS-NOTES §2 (DNS transaction id, ICMP
// type/code/id slots as ra prints them, ARP requester keys, sorted MAC flows, ESP, fragments).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>

#include "flow/flow_key.h"

namespace botd {
namespace {

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

MacAddress mac(uint8_t fill) {
  MacAddress m;
  m.bytes = {0x00, fill, fill, fill, fill, fill};
  return m;
}

std::string address_of(const std::array<uint8_t, 16>& end) { return IpAddress::from_v6(end.data()).to_string(); }

PacketView ip_packet(const char* src, const char* dst, uint8_t protocol) {
  PacketView p;
  p.network = IpAddress::parse(src)->is_v4() ? Network::ipv4 : Network::ipv6;
  p.has_macs = true;
  p.ethertype = p.network == Network::ipv4 ? 0x0800 : 0x86dd;
  p.src = ip(src);
  p.dst = ip(dst);
  p.ip_protocol = protocol;
  p.ttl = 64;
  return p;
}

PacketView with_ports(PacketView p, uint16_t sport, uint16_t dport) {
  p.has_ports = true;
  p.sport = sport;
  p.dport = dport;
  return p;
}

PacketView tcp(const char* src, uint16_t sport, const char* dst, uint16_t dport) {
  PacketView p = with_ports(ip_packet(src, dst, ip_protocol::tcp), sport, dport);
  p.has_tcp = true;
  p.tcp_flags = tcp_flag::syn;
  return p;
}

PacketView udp(const char* src, uint16_t sport, const char* dst, uint16_t dport,
               std::span<const uint8_t> payload = {}) {
  PacketView p = with_ports(ip_packet(src, dst, ip_protocol::udp), sport, dport);
  p.payload = payload;
  p.payload_len = uint32_t(payload.size());
  return p;
}

PacketView icmp(const char* src, const char* dst, uint8_t type, uint8_t code, uint16_t id = 0, uint16_t seq = 0) {
  PacketView p = ip_packet(src, dst, ip_protocol::icmp);
  p.has_icmp = true;
  p.icmp_type = type;
  p.icmp_code = code;
  p.icmp_id = id;
  p.icmp_seq = seq;
  return p;
}

// An ICMP error from `router` to `host` quoting a packet `quoted_src` -> `quoted_dst`.
PacketView icmp_error(const char* router, const char* host, uint8_t type, uint8_t code, const char* quoted_src,
                      const char* quoted_dst, uint8_t quoted_protocol, uint16_t quoted_sport = 0,
                      uint16_t quoted_dport = 0) {
  PacketView p = icmp(router, host, type, code);
  p.has_icmp_quote = true;
  p.icmp_quote.src = ip(quoted_src);
  p.icmp_quote.dst = ip(quoted_dst);
  p.icmp_quote.protocol = quoted_protocol;
  p.icmp_quote.has_ports = quoted_protocol == ip_protocol::tcp || quoted_protocol == ip_protocol::udp;
  p.icmp_quote.sport = quoted_sport;
  p.icmp_quote.dport = quoted_dport;
  return p;
}

PacketView arp(uint16_t operation, MacAddress sender_mac, const char* sender_ip, MacAddress target_mac,
               const char* target_ip) {
  PacketView p;
  p.network = Network::arp;
  p.has_macs = true;
  p.mac_src = sender_mac;
  p.mac_dst = operation == 1 ? MacAddress{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}} : target_mac;
  p.ethertype = 0x0806;
  p.arp.operation = operation;
  p.arp.hardware_type = 1;
  p.arp.protocol_type = 0x0800;
  p.arp.hardware_len = 6;
  p.arp.protocol_len = 4;
  p.arp.sender_mac = sender_mac;
  p.arp.sender_ip = ip(sender_ip);
  p.arp.target_mac = target_mac;
  p.arp.target_ip = ip(target_ip);
  return p;
}

KeyedPacket keyed(const PacketView& packet) {
  const std::optional<KeyedPacket> k = key_packet(packet);
  EXPECT_TRUE(k.has_value());
  return k.value_or(KeyedPacket{});
}

TEST(FlowKey, TcpBothDirectionsGiveOneKeyAndOneHash) {
  const KeyedPacket out = keyed(tcp("10.0.0.1", 40000, "10.0.0.2", 80));
  const KeyedPacket back = keyed(tcp("10.0.0.2", 80, "10.0.0.1", 40000));
  EXPECT_TRUE(out.key == back.key);
  EXPECT_EQ(out.key.hash(), back.key.hash());
  EXPECT_TRUE(out.from_a);
  EXPECT_FALSE(back.from_a);
  EXPECT_EQ(out.key.kind, FlowKind::ip);
  EXPECT_EQ(out.key.protocol, ip_protocol::tcp);
  EXPECT_TRUE(out.key.is_ipv4());
}

TEST(FlowKey, LowerIpv4AddressIsEndAComparedAsNumber) {
  // 10.0.0.9 < 10.0.0.10 as numbers (not as text): the packet from .10 travels from end b.
  const KeyedPacket k = keyed(tcp("10.0.0.10", 80, "10.0.0.9", 1234));
  EXPECT_EQ(address_of(k.key.a), "10.0.0.9");
  EXPECT_EQ(address_of(k.key.b), "10.0.0.10");
  EXPECT_EQ(k.key.port_a, 1234);
  EXPECT_EQ(k.key.port_b, 80);
  EXPECT_FALSE(k.from_a);
}

TEST(FlowKey, EqualIpv4AddressesAreOrderedByPort) {
  const KeyedPacket k = keyed(udp("127.0.0.1", 5000, "127.0.0.1", 53));
  EXPECT_EQ(k.key.port_a, 53);
  EXPECT_EQ(k.key.port_b, 5000);
  EXPECT_FALSE(k.from_a);
  EXPECT_TRUE(k.key == keyed(udp("127.0.0.1", 53, "127.0.0.1", 5000)).key);
}

TEST(FlowKey, Ipv6PortsAreNeverCompared) {
  // Equal IPv6 addresses: argus does not look at the ports, so nothing is swapped and the
  // two directions are two keys.
  const KeyedPacket out = keyed(tcp("::1", 5000, "::1", 80));
  const KeyedPacket back = keyed(tcp("::1", 80, "::1", 5000));
  EXPECT_EQ(out.key.port_a, 5000);
  EXPECT_EQ(out.key.port_b, 80);
  EXPECT_TRUE(out.from_a);
  EXPECT_FALSE(out.key == back.key);
  EXPECT_FALSE(out.key.is_ipv4());
}

TEST(FlowKey, TtlTosIpIdVlanAndMacsAreNotPartOfTheKey) {
  PacketView first = tcp("10.0.0.1", 40000, "10.0.0.2", 80);
  PacketView second = first;
  second.ttl = 3;
  second.tos = 0xb8;
  second.ip_id = 777;
  second.vlan_count = 1;
  second.vlan_ids[0] = 20;
  second.mac_src = mac(0x33);
  second.tcp_flags = tcp_flag::ack;
  second.tcp_seq = 99;
  EXPECT_TRUE(keyed(first).key == keyed(second).key);
}

TEST(FlowKey, DnsTransactionIdIsPartOfIpv4UdpPort53Keys) {
  const uint8_t query_1111[] = {0x11, 0x11, 0x01, 0x00}, reply_1111[] = {0x11, 0x11, 0x81, 0x80};
  const uint8_t query_2222[] = {0x22, 0x22, 0x01, 0x00};
  const KeyedPacket q1 = keyed(udp("10.0.0.1", 5353, "10.0.0.53", 53, query_1111));
  const KeyedPacket r1 = keyed(udp("10.0.0.53", 53, "10.0.0.1", 5353, reply_1111));
  const KeyedPacket q2 = keyed(udp("10.0.0.1", 5353, "10.0.0.53", 53, query_2222));
  EXPECT_EQ(q1.key.detail, 0x1111u);
  EXPECT_TRUE(q1.key == r1.key);  // the reply joins its query
  EXPECT_FALSE(q1.key == q2.key);  // another transaction on the same 5-tuple is another flow
}

TEST(FlowKey, DnsTransactionIdOnlyForIpv4UdpWithPort53) {
  const uint8_t id_1111[] = {0x11, 0x11}, id_2222[] = {0x22, 0x22};
  // TCP to port 53.
  PacketView tcp_1 = tcp("10.0.0.1", 40000, "10.0.0.53", 53), tcp_2 = tcp_1;
  tcp_1.payload = id_1111;
  tcp_2.payload = id_2222;
  EXPECT_TRUE(keyed(tcp_1).key == keyed(tcp_2).key);
  // UDP between other ports (mDNS).
  EXPECT_TRUE(keyed(udp("10.0.0.1", 5353, "224.0.0.251", 5353, id_1111)).key ==
              keyed(udp("10.0.0.1", 5353, "224.0.0.251", 5353, id_2222)).key);
  // IPv6 UDP to port 53.
  const KeyedPacket v6 = keyed(udp("2001:db8::1", 5353, "2001:db8::53", 53, id_1111));
  EXPECT_EQ(v6.key.detail, 0u);
  EXPECT_TRUE(v6.key == keyed(udp("2001:db8::1", 5353, "2001:db8::53", 53, id_2222)).key);
}

TEST(FlowKey, IcmpEchoReplyJoinsItsRequestAndEachPingIsAFlow) {
  const KeyedPacket request = keyed(icmp("10.0.0.1", "10.0.0.2", 8, 0, 0x1234, 1));
  const KeyedPacket reply = keyed(icmp("10.0.0.2", "10.0.0.1", 0, 0, 0x1234, 1));
  EXPECT_TRUE(request.key == reply.key);
  EXPECT_EQ(request.key.hash(), reply.key.hash());
  EXPECT_EQ(request.key.kind, FlowKind::icmp);
  EXPECT_EQ(request.key.port_a, 0x0008);  // Sport "0x0008": code << 8 | type
  EXPECT_EQ(request.key.port_b, 0x3412);  // Dport: the id, byte-swapped
  EXPECT_EQ(request.key.detail, 1u);      // the sequence number, hidden
  EXPECT_TRUE(request.from_a);
  EXPECT_FALSE(reply.from_a);
  // Every ping is its own flow: another sequence number or id is another key.
  EXPECT_FALSE(request.key == keyed(icmp("10.0.0.1", "10.0.0.2", 8, 0, 0x1234, 2)).key);
  EXPECT_FALSE(request.key == keyed(icmp("10.0.0.1", "10.0.0.2", 8, 0, 0x1235, 1)).key);
}

TEST(FlowKey, IcmpEndsAreNotSortedByAddress) {
  // The higher address asks: it stays end a, and its ping and the lower address's ping to it
  // are two flows.
  const KeyedPacket high_asks = keyed(icmp("10.0.0.9", "10.0.0.1", 8, 0, 7, 1));
  EXPECT_EQ(address_of(high_asks.key.a), "10.0.0.9");
  EXPECT_EQ(address_of(high_asks.key.b), "10.0.0.1");
  EXPECT_TRUE(high_asks.from_a);
  EXPECT_FALSE(high_asks.key == keyed(icmp("10.0.0.1", "10.0.0.9", 8, 0, 7, 1)).key);
}

TEST(FlowKey, IcmpPortUnreachableKeysByQuotedPortAndProtocol) {
  // 10.0.0.2 answers a packet 10.0.0.1 -> 10.0.0.2 with a port unreachable.
  auto unreachable = [](uint8_t protocol, uint16_t sport, uint16_t dport) {
    return keyed(icmp_error("10.0.0.2", "10.0.0.1", 3, 3, "10.0.0.1", "10.0.0.2", protocol, sport, dport));
  };
  const KeyedPacket udp_9999 = unreachable(ip_protocol::udp, 5000, 9999);
  EXPECT_EQ(udp_9999.key.port_a, 0x0303);
  EXPECT_EQ(udp_9999.key.port_b, 0x0f27);  // 9999 = 0x270f, byte-swapped
  EXPECT_EQ(udp_9999.key.detail, ip_protocol::udp);
  EXPECT_EQ(address_of(udp_9999.key.a), "10.0.0.2");  // the error's sender is end a
  EXPECT_TRUE(udp_9999.from_a);
  // Another quoted source port: the same flow; another protocol or port: another flow.
  EXPECT_TRUE(udp_9999.key == unreachable(ip_protocol::udp, 5001, 9999).key);
  EXPECT_FALSE(udp_9999.key == unreachable(ip_protocol::tcp, 5000, 9999).key);
  EXPECT_FALSE(udp_9999.key == unreachable(ip_protocol::udp, 5000, 9998).key);
}

TEST(FlowKey, IcmpHostUnreachableKeysByQuotedDestination) {
  const KeyedPacket far =
      keyed(icmp_error("10.0.0.254", "10.0.0.1", 3, 1, "10.0.0.1", "94.0.7.9", ip_protocol::tcp));
  EXPECT_EQ(far.key.port_a, 0x0103);
  EXPECT_EQ(far.key.port_b, 0x5e00);  // the first two octets, big-endian
  const KeyedPacket near =
      keyed(icmp_error("10.0.0.254", "10.0.0.1", 3, 0, "10.0.0.1", "192.168.7.9", ip_protocol::udp));
  EXPECT_EQ(near.key.port_a, 0x0003);
  EXPECT_EQ(near.key.port_b, 0xc0a8);
  // The whole quoted address is in the key: 94.0.7.10 is another flow, with the same Dport.
  const KeyedPacket other =
      keyed(icmp_error("10.0.0.254", "10.0.0.1", 3, 1, "10.0.0.1", "94.0.7.10", ip_protocol::tcp));
  EXPECT_EQ(other.key.port_b, 0x5e00);
  EXPECT_FALSE(far.key == other.key);
}

TEST(FlowKey, IcmpProtocolUnreachablePrintsQuotedProtocol) {
  const KeyedPacket k = keyed(icmp_error("10.0.0.2", "10.0.0.1", 3, 2, "10.0.0.1", "10.0.0.2", ip_protocol::gre));
  EXPECT_EQ(k.key.port_a, 0x0203);
  EXPECT_EQ(k.key.port_b, 0x2f00);  // 47, byte-swapped
}

TEST(FlowKey, IcmpTimeExceededHasNoHiddenPart) {
  // Two traceroute probes to different places, answered by the same router.
  const KeyedPacket first =
      keyed(icmp_error("10.0.0.254", "10.0.0.1", 11, 0, "10.0.0.1", "8.8.8.8", ip_protocol::udp, 33434, 33434));
  const KeyedPacket second =
      keyed(icmp_error("10.0.0.254", "10.0.0.1", 11, 0, "10.0.0.1", "9.9.9.9", ip_protocol::udp, 33435, 33500));
  EXPECT_EQ(first.key.port_a, 0x000b);
  EXPECT_EQ(first.key.port_b, 0x0000);
  EXPECT_EQ(first.key.detail, 0u);
  EXPECT_TRUE(first.key == second.key);
}

TEST(FlowKey, IcmpTimestampExchangesMergeWhateverTheirId) {
  const KeyedPacket request = keyed(icmp("10.0.0.1", "10.0.0.2", 13, 0, 1, 1));
  const KeyedPacket reply = keyed(icmp("10.0.0.2", "10.0.0.1", 14, 0, 1, 1));
  const KeyedPacket later = keyed(icmp("10.0.0.1", "10.0.0.2", 13, 0, 99, 5));
  EXPECT_EQ(request.key.port_a, 0x000d);
  EXPECT_EQ(request.key.port_b, 0x0000);
  EXPECT_TRUE(request.key == reply.key);
  EXPECT_FALSE(reply.from_a);
  EXPECT_TRUE(request.key == later.key);
}

TEST(FlowKey, IcmpQuoteFindsTheQuotedFlowsKey) {
  const PacketView error =
      icmp_error("10.0.0.2", "10.0.0.1", 3, 3, "10.0.0.1", "10.0.0.2", ip_protocol::udp, 5000, 9999);
  const std::optional<FlowKey> quoted = quoted_flow_key(error);
  ASSERT_TRUE(quoted.has_value());
  EXPECT_TRUE(*quoted == keyed(udp("10.0.0.1", 5000, "10.0.0.2", 9999)).key);
  EXPECT_FALSE(*quoted == keyed(udp("10.0.0.1", 5000, "10.0.0.2", 9998)).key);
}

TEST(FlowKey, Icmpv6EchoFoldsReplyAndIgnoresIdAndSequence) {
  PacketView request = icmp("2001:db8::2", "2001:db8::1", 128, 0, 1, 1);
  request.ip_protocol = ip_protocol::icmpv6;
  PacketView reply = icmp("2001:db8::1", "2001:db8::2", 129, 0, 9, 2);
  reply.ip_protocol = ip_protocol::icmpv6;
  const KeyedPacket k = keyed(request);
  EXPECT_EQ(k.key.kind, FlowKind::icmpv6);
  EXPECT_EQ(k.key.port_a, 128);
  EXPECT_EQ(k.key.port_b, 0);
  EXPECT_EQ(address_of(k.key.a), "2001:db8::1");  // ICMPv6 ends are sorted
  EXPECT_FALSE(k.from_a);
  EXPECT_TRUE(k.key == keyed(reply).key);
  EXPECT_TRUE(keyed(reply).from_a);
}

TEST(FlowKey, ArpReplyFoldsOntoItsRequest) {
  const KeyedPacket request = keyed(arp(1, mac(0x11), "10.0.0.1", MacAddress{}, "10.0.0.2"));
  const KeyedPacket reply = keyed(arp(2, mac(0x22), "10.0.0.2", mac(0x11), "10.0.0.1"));
  EXPECT_EQ(request.key.kind, FlowKind::arp);
  EXPECT_EQ(address_of(request.key.a), "10.0.0.1");  // the requester
  EXPECT_EQ(address_of(request.key.b), "10.0.0.2");  // the address asked for
  EXPECT_EQ(request.key.arp_mac, mac(0x11).bytes);
  EXPECT_TRUE(request.key == reply.key);
  EXPECT_EQ(request.key.hash(), reply.key.hash());
  EXPECT_TRUE(request.from_a);
  EXPECT_FALSE(reply.from_a);
}

TEST(FlowKey, ArpKeysAreDirectional) {
  const KeyedPacket one_asks = keyed(arp(1, mac(0x11), "10.0.0.1", MacAddress{}, "10.0.0.2"));
  const KeyedPacket other_asks = keyed(arp(1, mac(0x22), "10.0.0.2", MacAddress{}, "10.0.0.1"));
  EXPECT_FALSE(one_asks.key == other_asks.key);
  EXPECT_EQ(address_of(other_asks.key.a), "10.0.0.2");  // not sorted: the higher requester is end a
  // The same question from another MAC is another flow.
  EXPECT_FALSE(one_asks.key == keyed(arp(1, mac(0x33), "10.0.0.1", MacAddress{}, "10.0.0.2")).key);
}

TEST(FlowKey, MacFlowPutsLowerMacFirstWithItsSap) {
  PacketView llc;
  llc.network = Network::other_ether;
  llc.has_macs = true;
  llc.mac_src = mac(0x22);
  llc.mac_dst = mac(0x11);
  llc.ethertype = 0;
  llc.llc_ssap = 0x04;
  llc.llc_dsap = 0x06;
  const KeyedPacket k = keyed(llc);
  EXPECT_EQ(k.key.kind, FlowKind::mac);
  EXPECT_TRUE(std::equal(k.key.a.begin(), k.key.a.begin() + 6, mac(0x11).bytes.begin()));
  EXPECT_TRUE(std::equal(k.key.b.begin(), k.key.b.begin() + 6, mac(0x22).bytes.begin()));
  EXPECT_EQ(k.key.port_a, 0x06);  // the SAPs swap along with the MACs
  EXPECT_EQ(k.key.port_b, 0x04);
  EXPECT_FALSE(k.from_a);
  PacketView back = llc;
  std::swap(back.mac_src, back.mac_dst);
  std::swap(back.llc_ssap, back.llc_dsap);
  EXPECT_TRUE(keyed(back).key == k.key);
  EXPECT_TRUE(keyed(back).from_a);
}

TEST(FlowKey, Ipv4EspIsOneFlowPerSpiAndDirection) {
  PacketView out = ip_packet("10.0.0.9", "10.0.0.1", ip_protocol::esp);
  PacketView back = ip_packet("10.0.0.1", "10.0.0.9", ip_protocol::esp);
  out.esp_spi = 0xabcdef12;
  back.esp_spi = 0x01020304;
  const KeyedPacket k = keyed(out);
  EXPECT_EQ(k.key.kind, FlowKind::esp);
  EXPECT_EQ(address_of(k.key.a), "10.0.0.9");  // not sorted
  EXPECT_EQ(k.key.detail, 0xabcdef12u);
  EXPECT_TRUE(k.from_a);
  EXPECT_FALSE(k.key == keyed(back).key);
}

TEST(FlowKey, NoKeyForIpv6EspOrFramesWithoutAddresses) {
  EXPECT_FALSE(key_packet(ip_packet("2001:db8::1", "2001:db8::2", ip_protocol::esp)).has_value());
  PacketView no_macs;
  no_macs.network = Network::other_ether;
  EXPECT_FALSE(key_packet(no_macs).has_value());
  EXPECT_FALSE(key_packet(PacketView{}).has_value());
}

TEST(FlowKey, Ipv4FragmentTailIsKeyedBySortedAddressesAndIpId) {
  PacketView tail = ip_packet("10.0.0.9", "10.0.0.1", ip_protocol::udp);
  tail.is_fragment = true;
  tail.fragment_offset = 1480;
  tail.ip_id = 0x4242;
  const KeyedPacket k = keyed(tail);
  EXPECT_EQ(k.key.kind, FlowKind::fragment);
  EXPECT_EQ(k.key.detail, 0x4242u);
  EXPECT_EQ(address_of(k.key.a), "10.0.0.1");
  EXPECT_FALSE(k.from_a);
  PacketView other_datagram = tail;
  other_datagram.ip_id = 0x4243;
  EXPECT_FALSE(k.key == keyed(other_datagram).key);
}

}  // namespace
}  // namespace botd
