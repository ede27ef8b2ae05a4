// packet_builder.h — builds complete Ethernet frames (IPv4 TCP/UDP/ICMP, ARP) with correct
// IPv4 header checksums, TCP/UDP/ICMP checksums and padding to the 60-byte Ethernet minimum.
// The IPv4 identification field is left 0 here; Capture::finalize stamps per-host ids in
// time order (and then refreshes the header checksum with refresh_ipv4_checksum).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "net_types.h"

namespace synth {

constexpr size_t kEthernetHeaderSize = 14;
constexpr size_t kIpv4HeaderSize = 20;
constexpr size_t kMinEthernetFrame = 60;  // without FCS

namespace tcp_flag {
constexpr uint8_t kFin = 0x01;
constexpr uint8_t kSyn = 0x02;
constexpr uint8_t kRst = 0x04;
constexpr uint8_t kPsh = 0x08;
constexpr uint8_t kAck = 0x10;
}  // namespace tcp_flag

namespace ip_proto {
constexpr uint8_t kIcmp = 1;
constexpr uint8_t kTcp = 6;
constexpr uint8_t kUdp = 17;
}  // namespace ip_proto

// Link and network layer fields of one IPv4 packet.
struct Ipv4Header {
  MacAddr src_mac;
  MacAddr dst_mac;
  Ipv4 src_ip = 0;
  Ipv4 dst_ip = 0;
  uint8_t ttl = 64;
  bool dont_fragment = false;
};

struct TcpHeader {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0;
  uint16_t window = 0;
  std::span<const uint8_t> options;  // length must be a multiple of 4
};

Bytes tcp_frame(const Ipv4Header& ip, const TcpHeader& tcp, std::span<const uint8_t> payload);
Bytes udp_frame(const Ipv4Header& ip, uint16_t src_port, uint16_t dst_port, std::span<const uint8_t> payload);
// `rest_of_header` is the 4 bytes after type/code/checksum (echo id/seq, unused for errors).
Bytes icmp_frame(const Ipv4Header& ip, uint8_t type, uint8_t code, uint32_t rest_of_header,
                 std::span<const uint8_t> body);

namespace arp_op {
constexpr uint16_t kRequest = 1;
constexpr uint16_t kReply = 2;
}  // namespace arp_op

Bytes arp_frame(const MacAddr& eth_src, const MacAddr& eth_dst, uint16_t op, const MacAddr& sender_mac,
                Ipv4 sender_ip, const MacAddr& target_mac, Ipv4 target_ip);

// RFC 1071 ones'-complement checksum of `data`, continuing from a partial sum.
uint16_t internet_checksum(std::span<const uint8_t> data, uint32_t partial_sum = 0);

// Recomputes the header checksum of the IPv4 header starting at `header`.
void refresh_ipv4_checksum(uint8_t* header);

// Big-endian helpers.
inline void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void put32(uint8_t* p, uint32_t v) {
  put16(p, static_cast<uint16_t>(v >> 16));
  put16(p + 2, static_cast<uint16_t>(v));
}
inline uint16_t get16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t get32(const uint8_t* p) { return (static_cast<uint32_t>(get16(p)) << 16) | get16(p + 2); }

}  // namespace synth
