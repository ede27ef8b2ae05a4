// PacketDecoder on hand-built frames: each layer's fields, and each kind of damage.
#include <pcap/dlt.h>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "capture/decoder.h"
#include "capture/dns_message.h"

namespace botd {
namespace {

using Frame = std::vector<uint8_t>;

void append(Frame& frame, std::initializer_list<uint8_t> bytes) { frame.insert(frame.end(), bytes); }

Frame ethernet(uint16_t ethertype) {
  Frame f = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
  append(f, {uint8_t(ethertype >> 8), uint8_t(ethertype)});
  return f;
}

void append_ipv4(Frame& f, uint8_t protocol, uint16_t payload_len, uint16_t flags_and_offset = 0) {
  const uint16_t total = uint16_t(20 + payload_len);
  append(f, {0x45, 0x10, uint8_t(total >> 8), uint8_t(total), 0x12, 0x34, uint8_t(flags_and_offset >> 8),
             uint8_t(flags_and_offset), 64, protocol, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2});
}

void append_tcp_syn(Frame& f) {
  append(f, {0x9c, 0x40, 0x00, 0x50, 0, 0, 0x10, 0, 0, 0, 0, 0, 0x60, 0x02, 0xfa, 0xf0, 0, 0, 0, 0,
             0x03, 0x03, 0x07, 0x00});  // window scale 7, end of options
}

Damage decode(int link_type, const Frame& frame, PacketView& view, uint32_t wire_len = 0) {
  RawPacket raw;
  raw.time_ns = 42;
  raw.wire_len = wire_len ? wire_len : uint32_t(frame.size());
  raw.bytes = frame;
  return PacketDecoder(link_type).decode(raw, view);
}

TEST(Decoder, EthernetIpv4TcpSyn) {
  Frame f = ethernet(0x0800);
  append_ipv4(f, 6, 24);
  append_tcp_syn(f);
  PacketView v;
  ASSERT_EQ(decode(DLT_EN10MB, f, v), Damage::none);
  EXPECT_EQ(v.network, Network::ipv4);
  EXPECT_EQ(v.src.to_string(), "10.0.0.1");
  EXPECT_EQ(v.dst.to_string(), "10.0.0.2");
  EXPECT_EQ(v.ip_protocol, 6);
  EXPECT_EQ(v.ttl, 64);
  EXPECT_EQ(v.tos, 0x10);
  EXPECT_EQ(v.ip_id, 0x1234u);
  EXPECT_EQ(v.sport, 40000);
  EXPECT_EQ(v.dport, 80);
  EXPECT_EQ(v.tcp_seq, 0x1000u);
  EXPECT_EQ(v.tcp_flags, tcp_flag::syn);
  EXPECT_EQ(v.tcp_window, 0xfaf0);
  EXPECT_EQ(v.tcp_window_scale, 7);
  EXPECT_EQ(v.payload_len, 0u);
  EXPECT_EQ(v.flow_bytes, f.size());  // Ethernet counts the whole frame
  EXPECT_EQ(v.mac_src.to_string(), "00:aa:bb:cc:dd:ee");
}

TEST(Decoder, VlanTagsAreWalkedAndKept) {
  Frame f = ethernet(0x8100);
  append(f, {0x00, 0x0a, 0x81, 0x00, 0x00, 0x14, 0x08, 0x00});  // VLAN 10, then VLAN 20, then IPv4
  append_ipv4(f, 17, 8);
  append(f, {0x00, 0x35, 0x30, 0x39, 0x00, 0x08, 0x00, 0x00});
  PacketView v;
  ASSERT_EQ(decode(DLT_EN10MB, f, v), Damage::none);
  EXPECT_EQ(v.vlan_count, 2);
  EXPECT_EQ(v.vlan_ids[0], 10);
  EXPECT_EQ(v.vlan_ids[1], 20);
  EXPECT_EQ(v.sport, 53);
  EXPECT_EQ(v.dport, 12345);
}

TEST(Decoder, LinuxCookedCountsBytesWithoutItsHeader) {
  Frame f = {0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00};
  append_ipv4(f, 6, 24);
  append_tcp_syn(f);
  PacketView v;
  ASSERT_EQ(decode(DLT_LINUX_SLL, f, v), Damage::none);
  EXPECT_EQ(v.flow_bytes, f.size() - 16);
  EXPECT_EQ(v.dport, 80);
}

TEST(Decoder, FragmentsAfterTheFirstHaveNoPorts) {
  Frame f = ethernet(0x0800);
  append_ipv4(f, 17, 8, 0x0002);  // offset 16 bytes
  append(f, {1, 2, 3, 4, 5, 6, 7, 8});
  PacketView v;
  ASSERT_EQ(decode(DLT_EN10MB, f, v), Damage::none);
  EXPECT_TRUE(v.is_fragment);
  EXPECT_EQ(v.fragment_offset, 16u);
  EXPECT_FALSE(v.has_ports);
}

TEST(Decoder, IcmpErrorQuotesTheOffendingPacket) {
  Frame f = ethernet(0x0800);
  append_ipv4(f, 1, 8 + 28);
  append(f, {3, 3, 0, 0, 0, 0, 0, 0});  // port unreachable
  append_ipv4(f, 17, 8);
  append(f, {0x30, 0x39, 0x27, 0x0f, 0, 8, 0, 0});  // 12345 -> 9999
  PacketView v;
  ASSERT_EQ(decode(DLT_EN10MB, f, v), Damage::none);
  EXPECT_EQ(v.icmp_type, 3);
  EXPECT_EQ(v.icmp_code, 3);
  ASSERT_TRUE(v.has_icmp_quote);
  EXPECT_EQ(v.icmp_quote.protocol, 17);
  EXPECT_EQ(v.icmp_quote.dport, 9999);
}

TEST(Decoder, Ipv6ExtensionHeadersAreWalked) {
  Frame f = ethernet(0x86dd);
  append(f, {0x60, 0, 0, 0, 0, 16, 0 /* hop-by-hop */, 64});
  for (int i = 0; i < 15; ++i) f.push_back(0);
  f.push_back(1);  // ::1
  for (int i = 0; i < 15; ++i) f.push_back(0);
  f.push_back(2);  // ::2
  append(f, {17, 0, 1, 4, 0, 0, 0, 0});          // hop-by-hop: next UDP, 8 bytes
  append(f, {0x04, 0xd2, 0x00, 0x35, 0, 8, 0, 0});  // UDP 1234 -> 53
  PacketView v;
  ASSERT_EQ(decode(DLT_EN10MB, f, v), Damage::none);
  EXPECT_EQ(v.network, Network::ipv6);
  EXPECT_EQ(v.ip_protocol, 17);
  EXPECT_EQ(v.dport, 53);
  EXPECT_EQ(v.src.to_string(), "::1");
}

TEST(Decoder, ArpRequest) {
  Frame f = ethernet(0x0806);
  append(f, {0, 1, 8, 0, 6, 4, 0, 1, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 192, 168, 1, 10, 0, 0, 0, 0, 0, 0,
             192, 168, 1, 1});
  PacketView v;
  ASSERT_EQ(decode(DLT_EN10MB, f, v), Damage::none);
  EXPECT_EQ(v.network, Network::arp);
  EXPECT_EQ(v.arp.operation, 1);
  EXPECT_EQ(v.arp.sender_ip.to_string(), "192.168.1.10");
  EXPECT_EQ(v.arp.target_ip.to_string(), "192.168.1.1");
}

TEST(Decoder, GreIsDecapsulated) {
  Frame f = ethernet(0x0800);
  append_ipv4(f, 47, 4 + 20 + 24);
  append(f, {0, 0, 0x08, 0x00});
  Frame inner;
  append_ipv4(inner, 6, 24);
  inner[12] = 172;  // inner source 172.0.0.1
  append_tcp_syn(inner);
  f.insert(f.end(), inner.begin(), inner.end());
  PacketView v;
  ASSERT_EQ(decode(DLT_EN10MB, f, v), Damage::none);
  EXPECT_TRUE(v.tunneled);
  EXPECT_EQ(v.src.to_string(), "172.0.0.1");
  EXPECT_EQ(v.ip_protocol, 6);
  EXPECT_EQ(v.flow_bytes, f.size());
}

TEST(Decoder, EachTruncationHasItsReason) {
  PacketView v;
  EXPECT_EQ(decode(DLT_EN10MB, Frame{1, 2, 3}, v), Damage::truncated_link_header);
  Frame ip = ethernet(0x0800);
  append(ip, {0x45, 0, 0, 40});
  EXPECT_EQ(decode(DLT_EN10MB, ip, v), Damage::truncated_ipv4_header);
  Frame bad_ihl = ethernet(0x0800);
  append_ipv4(bad_ihl, 6, 0);
  bad_ihl[14] = 0x43;
  EXPECT_EQ(decode(DLT_EN10MB, bad_ihl, v), Damage::bad_ipv4_header_length);
  Frame short_tcp = ethernet(0x0800);
  append_ipv4(short_tcp, 6, 20);
  append(short_tcp, {0, 1, 0, 2});
  EXPECT_EQ(decode(DLT_EN10MB, short_tcp, v), Damage::truncated_tcp_header);
  Frame vlan = ethernet(0x8100);
  append(vlan, {0, 1});
  EXPECT_EQ(decode(DLT_EN10MB, vlan, v), Damage::truncated_vlan_header);
}

TEST(Decoder, SnaplenCutPayloadIsNotDamage) {
  Frame f = ethernet(0x0800);
  append_ipv4(f, 17, 8 + 1000);
  append(f, {0x00, 0x35, 0x30, 0x39, 0x03, 0xf0, 0x00, 0x00, 0xab, 0xcd});
  PacketView v;
  ASSERT_EQ(decode(DLT_EN10MB, f, v, 14 + 20 + 8 + 1000), Damage::none);
  EXPECT_EQ(v.payload_len, 1000u);
  EXPECT_EQ(v.payload.size(), 2u);
  EXPECT_EQ(v.flow_bytes, 14u + 20 + 8 + 1000);
}

TEST(Decoder, SupportedLinkTypes) {
  EXPECT_TRUE(is_supported_link_type(DLT_EN10MB));
  EXPECT_TRUE(is_supported_link_type(DLT_LINUX_SLL2));
  EXPECT_FALSE(is_supported_link_type(DLT_USER13));
  EXPECT_NE(link_type_name(DLT_USER13).find("USER13"), std::string::npos);
}

}  // namespace
}  // namespace botd

// ---- DNS messages (capture/dns_message.h)

namespace botd {
namespace {

// A DNS header (id 0x1234) with one question `labels`, type A, class IN.
std::vector<uint8_t> dns(uint8_t flags_high, uint8_t flags_low, std::initializer_list<std::string_view> labels) {
  std::vector<uint8_t> m = {0x12, 0x34, flags_high, flags_low, 0, 1, 0, 0, 0, 0, 0, 0};
  for (std::string_view label : labels) {
    m.push_back(uint8_t(label.size()));
    m.insert(m.end(), label.begin(), label.end());
  }
  m.insert(m.end(), {0, 0, 1, 0, 1});
  return m;
}

TEST(DnsMessage, AQueryItsNameInLowerCase) {
  const auto query = parse_dns(dns(0x01, 0x00, {"WWW", "Example", "com"}));
  ASSERT_TRUE(query);
  EXPECT_FALSE(query->response);
  EXPECT_EQ(query->name, "www.example.com");
}

TEST(DnsMessage, AnNxdomainResponse) {
  const auto answer = parse_dns(dns(0x81, 0x83, {"qx7fz2kd9w", "net"}));
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->response);
  EXPECT_EQ(answer->rcode, kDnsNxdomain);
  EXPECT_EQ(answer->name, "qx7fz2kd9w.net");
}

TEST(DnsMessage, APointerIsFollowedAndALoopIsRefused) {
  // A response whose question is "mail" then a pointer to "example.com" further on.
  std::vector<uint8_t> m = {0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 4, 'm', 'a', 'i', 'l', 0xc0, 22,
                            0, 1, 0, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0};
  ASSERT_TRUE(parse_dns(m));
  EXPECT_EQ(parse_dns(m)->name, "mail.example.com");
  // "a" then a pointer to itself (offset 12): a, a, a, ...
  const std::vector<uint8_t> loop = {0, 1, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0xc0, 12};
  EXPECT_FALSE(parse_dns(loop));
}

TEST(DnsMessage, WhatIsNotAStandardMessageIsNothing) {
  EXPECT_FALSE(parse_dns(std::vector<uint8_t>(11, 0)));                 // shorter than a header
  EXPECT_FALSE(parse_dns(dns(0x29, 0x00, {"example", "com"})));         // opcode 5 (UPDATE)
  std::vector<uint8_t> two = dns(0x01, 0x00, {"example", "com"});
  two[5] = 2;
  EXPECT_FALSE(parse_dns(two));                                          // two questions
  std::vector<uint8_t> cut = dns(0x01, 0x00, {"example", "com"});
  cut.resize(18);                                                        // cut inside a label
  EXPECT_FALSE(parse_dns(cut));
  const std::string long_label(64, 'x');
  EXPECT_FALSE(parse_dns(dns(0x01, 0x00, {long_label, "com"})));        // label over 63
  const std::string label(63, 'y');
  EXPECT_FALSE(parse_dns(dns(0x01, 0x00, {label, label, label, label, "com"})));  // name over 255
  EXPECT_EQ(parse_dns(dns(0x01, 0x00, {label, label, label, "com"}))->name.size(), 3 * 64 + 3u);
}

}  // namespace
}  // namespace botd
