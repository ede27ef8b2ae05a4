// Private to the decoder: one function per protocol layer, all with the same shape —
// check the length, fill the view, pass the rest on (zeek's analyzer style).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

#include "capture/damage.h"
#include "capture/packet.h"

namespace botd::decode {

using Bytes = std::span<const uint8_t>;

// Tunnels (GRE, PPI, MPLS pseudowires) may nest; deeper than this is treated as damage.
constexpr int kMaxDepth = 4;

inline MacAddress mac_at(const uint8_t* p) {
  MacAddress mac;
  std::memcpy(mac.bytes.data(), p, 6);
  return mac;
}
inline uint16_t be16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }
inline uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }
inline uint16_t le16(const uint8_t* p) { return uint16_t(p[1] << 8 | p[0]); }
inline uint32_t le32(const uint8_t* p) { return uint32_t(p[3]) << 24 | uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | p[0]; }

// decode_link.cc
Damage link_layer(int link_type, Bytes bytes, PacketView& view, int depth);
Damage ethernet(Bytes bytes, PacketView& view, int depth);
Damage by_ethertype(uint16_t ethertype, Bytes bytes, PacketView& view, int depth);
Damage ppp(Bytes bytes, PacketView& view, int depth);  // a PPP frame, address/control optional

// decode_network.cc
Damage ip_by_version(Bytes bytes, PacketView& view, int depth);
Damage ipv4(Bytes bytes, PacketView& view, int depth);
Damage ipv6(Bytes bytes, PacketView& view, int depth);
Damage arp(Bytes bytes, PacketView& view);
Damage gre(Bytes bytes, PacketView& view, int depth);

// decode_transport.cc: the IP payload, by view.ip_protocol.
Damage transport(Bytes segment, PacketView& view, int depth);

}  // namespace botd::decode
