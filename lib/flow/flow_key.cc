#include "flow/flow_key.h"

#include <algorithm>

namespace botd {
namespace {

std::array<uint8_t, 16> bytes_of(const IpAddress& address) {
  std::array<uint8_t, 16> bytes;
  std::memcpy(bytes.data(), address.bytes(), 16);
  return bytes;
}

uint16_t byte_swapped(uint16_t value) { return uint16_t(value << 8 | value >> 8); }

// Makes end b end a and end a end b; ports go with their ends unless `with_ports` is false.
void swap_ends(KeyedPacket& keyed, bool with_ports) {
  std::swap(keyed.key.a, keyed.key.b);
  if (with_ports) std::swap(keyed.key.port_a, keyed.key.port_b);
  keyed.from_a = !keyed.from_a;
}

// argus orders the two ends of IP keys: the lower address first, and for equal addresses
// the lower port (IPv6: ports never compared). Ports that belong to no end (ICMPv6's type and
// code) stay where they are.
void order_ends(KeyedPacket& keyed, bool compare_ports, bool ports_per_end = true) {
  FlowKey& key = keyed.key;
  const int order = std::memcmp(key.a.data(), key.b.data(), 16);
  if (order > 0 || (order == 0 && compare_ports && key.port_a > key.port_b)) swap_ends(keyed, ports_per_end);
}

bool is_reply(uint8_t type) { return type == 0 || type == 14 || type == 16 || type == 18; }

// A key of `kind` for the packet's IP protocol, from its source (end a) to its destination (end b).
KeyedPacket ip_ends_key(FlowKind kind, const PacketView& packet) {
  KeyedPacket keyed;
  keyed.key.kind = kind;
  keyed.key.protocol = packet.ip_protocol;
  keyed.key.a = bytes_of(packet.src);
  keyed.key.b = bytes_of(packet.dst);
  return keyed;
}

// ICMP (IPv4): unordered ends, replies folded onto their request (ARGUS-NOTES §2.1). port_a is
// the printed Sport (code << 8 | type), port_b the printed Dport, detail the hidden part.
KeyedPacket icmp_key(const PacketView& packet) {
  KeyedPacket keyed = ip_ends_key(FlowKind::icmp, packet);
  FlowKey& key = keyed.key;
  uint8_t type = packet.icmp_type, code = 0;
  const IcmpQuote& quote = packet.icmp_quote;
  const bool quoted = packet.has_icmp_quote;
  switch (packet.icmp_type) {
    case 0: case 8:
      type = 8;
      key.port_b = byte_swapped(packet.icmp_id);
      key.detail = packet.icmp_seq;
      break;
    case 13: case 14: type = 13; break;
    case 15: case 16: type = 15; break;
    case 17: case 18: type = 17; break;
    default:
      code = packet.icmp_code;
      if (!quoted) break;
      if (type == 3 && code == 3) {
        key.port_b = byte_swapped(quote.has_ports ? quote.dport : 0);
        key.detail = quote.protocol;
      } else if (type == 3 && code == 2) {
        key.port_b = byte_swapped(quote.protocol);
      } else if ((type == 3 || type == 5) && code <= 1) {
        const uint8_t* dst = quote.dst.v4_bytes();
        key.port_b = uint16_t(dst[0] << 8 | dst[1]);
        key.detail = uint32_t(dst[0]) << 24 | uint32_t(dst[1]) << 16 | uint32_t(dst[2]) << 8 | dst[3];
      } else if (type == 5 && (code == 2 || code == 3)) {
        key.detail = quote.tos;
      }
  }
  key.port_a = uint16_t(code << 8 | type);
  if (is_reply(packet.icmp_type)) swap_ends(keyed, false);
  return keyed;
}

// ICMPv6: ordered ends; reply and advertisement types folded onto their request type.
KeyedPacket icmpv6_key(const PacketView& packet) {
  KeyedPacket keyed = ip_ends_key(FlowKind::icmpv6, packet);
  FlowKey& key = keyed.key;
  uint8_t type = packet.icmp_type;
  switch (type) {
    case 129: type = 128; break;
    case 131: case 132: type = 130; break;
    case 134: type = 133; break;
    case 136: type = 135; break;
    case 145: type = 144; break;  // home agent address discovery reply
    default: break;
  }
  key.port_a = type;
  key.port_b = packet.icmp_code;
  order_ends(keyed, false, false);
  return keyed;
}

// ARP: directional, keyed by the requester (its IP and MAC) and the target; a reply folds
// onto its request, so it travels "from b".
KeyedPacket arp_key(const PacketView& packet) {
  KeyedPacket keyed;
  FlowKey& key = keyed.key;
  key.kind = FlowKind::arp;
  key.ethertype = 0x0806;
  const ArpFields& arp = packet.arp;
  const bool reply = arp.operation == 2;
  key.a = bytes_of(reply ? arp.target_ip : arp.sender_ip);
  key.b = bytes_of(reply ? arp.sender_ip : arp.target_ip);
  key.arp_mac = reply ? arp.target_mac.bytes : arp.sender_mac.bytes;
  key.detail = uint32_t(arp.hardware_type) << 16 | arp.protocol_type;
  key.port_a = uint16_t(arp.hardware_len << 8 | arp.protocol_len);
  keyed.from_a = !reply;
  return keyed;
}

// Non-IP frames: the MAC pair in byte order, the ethertype (0 for LLC) and LLC SAPs.
KeyedPacket mac_key(const PacketView& packet) {
  KeyedPacket keyed;
  FlowKey& key = keyed.key;
  key.kind = FlowKind::mac;
  key.ethertype = packet.ethertype;
  std::memcpy(key.a.data(), packet.mac_src.bytes.data(), 6);
  std::memcpy(key.b.data(), packet.mac_dst.bytes.data(), 6);
  if (packet.ethertype == 0) {
    key.port_a = packet.llc_ssap;
    key.port_b = packet.llc_dsap;
  }
  if (std::memcmp(key.a.data(), key.b.data(), 6) > 0) swap_ends(keyed, true);
  return keyed;
}

// IGMP (ARGUS-NOTES: argus's ArgusCreateIGMPFlow): the sender and the group address from the
// IGMP header (for a version 3 report, the record count read as an address), with the
// type, code and IP id as hidden parts.
KeyedPacket igmp_key(const PacketView& packet) {
  KeyedPacket keyed = ip_ends_key(FlowKind::igmp, packet);
  FlowKey& key = keyed.key;
  const auto igmp = packet.payload;
  const uint8_t type = igmp.size() >= 1 ? igmp[0] : 0, code = igmp.size() >= 2 ? igmp[1] : 0;
  const bool group_known = igmp.size() >= 8;
  uint8_t group[4] = {0, 0, 0, 0};
  if (group_known) std::memcpy(group, igmp.data() + 4, 4);
  const bool query_without_group = type == 0x11 && group_known && !(group[0] | group[1] | group[2] | group[3]);
  key.b = query_without_group ? bytes_of(packet.dst) : bytes_of(IpAddress::from_v4(group));
  key.detail = uint32_t(type) << 24 | uint32_t(code) << 16 | uint16_t(packet.ip_id);
  order_ends(keyed, false);
  return keyed;
}

std::optional<KeyedPacket> ip_key(const PacketView& packet) {
  const bool v4 = packet.network == Network::ipv4;
  if (v4 && packet.ip_protocol == ip_protocol::icmp && !packet.is_fragment_tail()) return icmp_key(packet);
  if (!v4 && packet.ip_protocol == ip_protocol::icmpv6 && !packet.is_fragment_tail()) return icmpv6_key(packet);
  KeyedPacket keyed = ip_ends_key(FlowKind::ip, packet);
  FlowKey& key = keyed.key;
  if (packet.ip_protocol == ip_protocol::esp) {
    if (!v4) return std::nullopt;  // argus emits no IPv6 ESP flows
    key.kind = FlowKind::esp;
    key.detail = packet.esp_spi;
    return keyed;
  }
  if (packet.is_fragment_tail()) {
    if (v4) {
      key.kind = FlowKind::fragment;
      key.detail = packet.ip_id;
      order_ends(keyed, false);
      return keyed;
    }
    // argus reads "ports" from the IPv6 fragment header's identification (ARGUS-NOTES §8.3).
    key.port_a = uint16_t(byte_swapped(uint16_t(packet.ip_id & 0xffff)));
    order_ends(keyed, false);
    return keyed;
  }
  if (v4 && packet.ip_protocol == ip_protocol::igmp) return igmp_key(packet);
  if (packet.has_ports) {
    key.port_a = packet.sport;
    key.port_b = packet.dport;
    const bool dns = v4 && packet.ip_protocol == ip_protocol::udp && (packet.sport == 53 || packet.dport == 53);
    if (dns)  // the transaction id; argus reads it even past a shorter payload, botd reads 0 there
      key.detail = uint32_t(packet.payload.size() >= 2 ? packet.payload[0] << 8 | packet.payload[1] : 0);
  }
  order_ends(keyed, v4);
  return keyed;
}

}  // namespace

bool FlowKey::is_ipv4() const {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(a.data(), kMapped, 12) == 0;
}

uint64_t FlowKey::hash() const {
  // Eight bytes at a time, multiplied and rotated in, then a final avalanche (murmur's).
  static_assert(sizeof(FlowKey) % 4 == 0);
  const auto* bytes = reinterpret_cast<const uint8_t*>(this);
  uint64_t h = 0x9e3779b97f4a7c15ull;
  size_t i = 0;
  for (; i + 8 <= sizeof(FlowKey); i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes + i, 8);
    h ^= word * 0x87c37b91114253d5ull;
    h = (h << 31 | h >> 33) * 0x4cf5ad432745937full;
  }
  if (i < sizeof(FlowKey)) {
    uint32_t word;
    std::memcpy(&word, bytes + i, 4);
    h ^= word * 0x87c37b91114253d5ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

std::optional<KeyedPacket> key_packet(const PacketView& packet) {
  switch (packet.network) {
    case Network::ipv4:
    case Network::ipv6: return ip_key(packet);
    case Network::arp: return arp_key(packet);
    case Network::other_ether:
      if (!packet.has_macs) return std::nullopt;
      return mac_key(packet);
    case Network::none: return std::nullopt;
  }
  return std::nullopt;
}

std::optional<FlowKey> quoted_flow_key(const PacketView& packet) {
  // The quoted header, seen as a packet of its own from its source to its destination.
  PacketView quoted;
  quoted.network = Network::ipv4;
  quoted.src = packet.icmp_quote.src;
  quoted.dst = packet.icmp_quote.dst;
  quoted.ip_protocol = packet.icmp_quote.protocol;
  quoted.has_ports = packet.icmp_quote.has_ports &&
                     (quoted.ip_protocol == ip_protocol::tcp || quoted.ip_protocol == ip_protocol::udp);
  quoted.sport = packet.icmp_quote.sport;
  quoted.dport = packet.icmp_quote.dport;
  uint8_t head[2] = {uint8_t(packet.icmp_quote.payload_head >> 8), uint8_t(packet.icmp_quote.payload_head)};
  if (packet.icmp_quote.has_payload_head) quoted.payload = std::span<const uint8_t>(head, 2);
  if (quoted.ip_protocol == ip_protocol::icmp) return std::nullopt;  // errors about errors: not followed
  auto keyed = ip_key(quoted);
  if (!keyed) return std::nullopt;
  return keyed->key;
}

}  // namespace botd
