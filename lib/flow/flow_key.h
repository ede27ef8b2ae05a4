// FlowKey: what makes two packets part of the same argus flow (ARGUS-NOTES §2), built once
// per packet and canonical: both directions of a conversation give the same key, and
// KeyedPacket::from_a says which end sent this packet.
//
// Ends: IP addresses for IP flows (IPv4 as ::ffff:a.b.c.d), MAC addresses (first 6 bytes)
// for MAC flows, the requester's and target's IPs for ARP. Ports hold what ra prints for
// the key: TCP/UDP ports, ICMP's type/code and id slot, LLC SAPs. `detail` holds the hidden
// parts of argus's keys: the DNS transaction id (IPv4 UDP port 53), the ICMP echo sequence
// or quoted header part, the ESP SPI, the IP id of a fragment.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

#include "capture/packet.h"

namespace botd {

enum class FlowKind : uint8_t {
  ip,        // TCP, UDP and other IP protocols (ports 0 when the protocol has none)
  icmp,      // IPv4 ICMP
  icmpv6,
  esp,       // IPv4 ESP, one flow per SPI and direction
  igmp,      // IPv4 IGMP, keyed by the group
  fragment,  // IPv4 fragments after the first, until their first fragment is seen
  arp,
  mac,       // any other frame with MAC addresses
};

struct FlowKey {
  std::array<uint8_t, 16> a{}, b{};
  uint32_t detail = 0;
  uint16_t port_a = 0, port_b = 0;
  uint16_t ethertype = 0;
  uint8_t protocol = 0;
  FlowKind kind = FlowKind::ip;
  std::array<uint8_t, 6> arp_mac{};  // ARP: the requester's MAC
  uint16_t unused = 0;               // keeps the struct free of padding (it is compared bytewise)

  bool operator==(const FlowKey& other) const { return std::memcmp(this, &other, sizeof(FlowKey)) == 0; }
  bool is_ipv4() const;
  uint64_t hash() const;
};
static_assert(std::has_unique_object_representations_v<FlowKey>, "FlowKey is compared bytewise");

struct KeyedPacket {
  FlowKey key;
  bool from_a = true;  // sent by end a
};

// The key of a decoded, undamaged packet; std::nullopt for packets argus makes no flow of
// (IPv6 ESP, frames without addresses).
std::optional<KeyedPacket> key_packet(const PacketView& packet);

// The key of the flow an ICMP error's quoted header belongs to (REQUIRES packet.has_icmp_quote).
std::optional<FlowKey> quoted_flow_key(const PacketView& packet);


}  // namespace botd
