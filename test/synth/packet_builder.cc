// packet_builder.cc — Ethernet/IPv4/TCP/UDP/ICMP/ARP frame construction and checksums.
#include "packet_builder.h"

#include <algorithm>
#include <cstring>

namespace synth {
namespace {

constexpr uint16_t kEtherTypeIpv4 = 0x0800;
constexpr uint16_t kEtherTypeArp = 0x0806;
constexpr size_t kTcpBaseHeaderSize = 20;
constexpr size_t kUdpHeaderSize = 8;
constexpr size_t kIcmpHeaderSize = 8;

uint32_t add_to_sum(std::span<const uint8_t> data, uint32_t sum) {
  size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += static_cast<uint32_t>((data[i] << 8) | data[i + 1]);
  if (i < data.size()) sum += static_cast<uint32_t>(data[i] << 8);
  return sum;
}

uint16_t fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// Partial sum of the TCP/UDP pseudo-header.
uint32_t pseudo_header_sum(const Ipv4Header& ip, uint8_t protocol, size_t l4_length) {
  uint32_t sum = 0;
  sum += ip.src_ip >> 16;
  sum += ip.src_ip & 0xffff;
  sum += ip.dst_ip >> 16;
  sum += ip.dst_ip & 0xffff;
  sum += protocol;
  sum += static_cast<uint32_t>(l4_length);
  return sum;
}

void write_ethernet(uint8_t* p, const MacAddr& dst, const MacAddr& src, uint16_t ether_type) {
  std::memcpy(p, dst.bytes.data(), 6);
  std::memcpy(p + 6, src.bytes.data(), 6);
  put16(p + 12, ether_type);
}

// Allocates a frame for an IPv4 packet with `l4_length` bytes after the IP header and fills
// in the Ethernet and IPv4 headers (id 0, checksum computed). Returns the frame.
Bytes start_ipv4_frame(const Ipv4Header& ip, uint8_t protocol, size_t l4_length) {
  const size_t ip_total = kIpv4HeaderSize + l4_length;
  Bytes frame(std::max(kEthernetHeaderSize + ip_total, kMinEthernetFrame), 0);
  write_ethernet(frame.data(), ip.dst_mac, ip.src_mac, kEtherTypeIpv4);
  uint8_t* h = frame.data() + kEthernetHeaderSize;
  h[0] = 0x45;
  h[1] = 0;  // DSCP/ECN
  put16(h + 2, static_cast<uint16_t>(ip_total));
  put16(h + 4, 0);  // identification: stamped later
  put16(h + 6, ip.dont_fragment ? 0x4000 : 0);
  h[8] = ip.ttl;
  h[9] = protocol;
  put32(h + 12, ip.src_ip);
  put32(h + 16, ip.dst_ip);
  refresh_ipv4_checksum(h);
  return frame;
}

}  // namespace

uint16_t internet_checksum(std::span<const uint8_t> data, uint32_t partial_sum) {
  return fold(add_to_sum(data, partial_sum));
}

void refresh_ipv4_checksum(uint8_t* header) {
  put16(header + 10, 0);
  put16(header + 10, internet_checksum({header, kIpv4HeaderSize}));
}

Bytes tcp_frame(const Ipv4Header& ip, const TcpHeader& tcp, std::span<const uint8_t> payload) {
  const size_t header_length = kTcpBaseHeaderSize + tcp.options.size();
  const size_t segment_length = header_length + payload.size();
  Bytes frame = start_ipv4_frame(ip, ip_proto::kTcp, segment_length);
  uint8_t* t = frame.data() + kEthernetHeaderSize + kIpv4HeaderSize;
  put16(t, tcp.src_port);
  put16(t + 2, tcp.dst_port);
  put32(t + 4, tcp.seq);
  put32(t + 8, tcp.ack);
  t[12] = static_cast<uint8_t>((header_length / 4) << 4);
  t[13] = tcp.flags;
  put16(t + 14, tcp.window);
  // t[16..17] checksum, t[18..19] urgent pointer: zero
  std::copy(tcp.options.begin(), tcp.options.end(), t + kTcpBaseHeaderSize);
  std::copy(payload.begin(), payload.end(), t + header_length);
  const uint16_t sum = internet_checksum({t, segment_length}, pseudo_header_sum(ip, ip_proto::kTcp, segment_length));
  put16(t + 16, sum);
  return frame;
}

Bytes udp_frame(const Ipv4Header& ip, uint16_t src_port, uint16_t dst_port, std::span<const uint8_t> payload) {
  const size_t datagram_length = kUdpHeaderSize + payload.size();
  Bytes frame = start_ipv4_frame(ip, ip_proto::kUdp, datagram_length);
  uint8_t* u = frame.data() + kEthernetHeaderSize + kIpv4HeaderSize;
  put16(u, src_port);
  put16(u + 2, dst_port);
  put16(u + 4, static_cast<uint16_t>(datagram_length));
  std::copy(payload.begin(), payload.end(), u + kUdpHeaderSize);
  uint16_t sum = internet_checksum({u, datagram_length}, pseudo_header_sum(ip, ip_proto::kUdp, datagram_length));
  if (sum == 0) sum = 0xffff;  // 0 means "no checksum" in UDP
  put16(u + 6, sum);
  return frame;
}

Bytes icmp_frame(const Ipv4Header& ip, uint8_t type, uint8_t code, uint32_t rest_of_header,
                 std::span<const uint8_t> body) {
  const size_t message_length = kIcmpHeaderSize + body.size();
  Bytes frame = start_ipv4_frame(ip, ip_proto::kIcmp, message_length);
  uint8_t* m = frame.data() + kEthernetHeaderSize + kIpv4HeaderSize;
  m[0] = type;
  m[1] = code;
  put32(m + 4, rest_of_header);
  std::copy(body.begin(), body.end(), m + kIcmpHeaderSize);
  put16(m + 2, internet_checksum({m, message_length}));
  return frame;
}

Bytes arp_frame(const MacAddr& eth_src, const MacAddr& eth_dst, uint16_t op, const MacAddr& sender_mac,
                Ipv4 sender_ip, const MacAddr& target_mac, Ipv4 target_ip) {
  Bytes frame(kMinEthernetFrame, 0);
  write_ethernet(frame.data(), eth_dst, eth_src, kEtherTypeArp);
  uint8_t* a = frame.data() + kEthernetHeaderSize;
  put16(a, 1);                // hardware type: Ethernet
  put16(a + 2, kEtherTypeIpv4);  // protocol type
  a[4] = 6;
  a[5] = 4;
  put16(a + 6, op);
  std::memcpy(a + 8, sender_mac.bytes.data(), 6);
  put32(a + 14, sender_ip);
  std::memcpy(a + 18, target_mac.bytes.data(), 6);
  put32(a + 24, target_ip);
  return frame;
}

}  // namespace synth
