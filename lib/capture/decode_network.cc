// Network layers: IPv4, IPv6 (extension headers walked), ARP, and GRE decapsulation.
#include <algorithm>
#include <cstring>

#include "capture/decode_internal.h"

namespace botd::decode {
namespace {

// IPv6 extension headers that botd walks past to find the transport protocol.
constexpr uint8_t kHopByHop = 0, kRouting = 43, kFragment = 44, kDestinationOptions = 60, kMobility = 135,
                  kAuthentication = 51;

}  // namespace

Damage ip_by_version(Bytes bytes, PacketView& view, int depth) {
  if (bytes.empty()) return Damage::truncated_ipv4_header;
  switch (bytes[0] >> 4) {
    case 4: return ipv4(bytes, view, depth);
    case 6: return ipv6(bytes, view, depth);
    default: return Damage::bad_ip_version;
  }
}

Damage ipv4(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 20) return Damage::truncated_ipv4_header;
  if (bytes[0] >> 4 != 4) return Damage::bad_ip_version;
  const size_t header_len = size_t(bytes[0] & 0x0f) * 4;
  if (header_len < 20) return Damage::bad_ipv4_header_length;
  if (header_len > bytes.size()) return Damage::truncated_ipv4_header;
  size_t total_len = be16(&bytes[2]);
  if (total_len == 0) total_len = bytes.size();  // TCP segmentation offload leaves it 0
  if (total_len < header_len) return Damage::bad_ipv4_total_length;

  view.network = Network::ipv4;
  view.tos = bytes[1];
  view.ip_id = be16(&bytes[4]);
  const uint16_t flags_and_offset = be16(&bytes[6]);
  view.ttl = bytes[8];
  view.ip_protocol = bytes[9];
  view.src = IpAddress::from_v4(&bytes[12]);
  view.dst = IpAddress::from_v4(&bytes[16]);
  view.fragment_offset = uint32_t(flags_and_offset & 0x1fff) * 8;
  view.more_fragments = flags_and_offset & 0x2000;
  view.is_fragment = view.fragment_offset != 0 || view.more_fragments;
  view.ip_payload_len = uint32_t(total_len - header_len);
  if (view.fragment_offset != 0) return Damage::none;  // only the first fragment has a transport header
  const size_t captured_end = std::min(total_len, bytes.size());
  return transport(bytes.subspan(header_len, captured_end - header_len), view, depth);
}

Damage ipv6(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 40) return Damage::truncated_ipv6_header;
  if (bytes[0] >> 4 != 6) return Damage::bad_ip_version;
  view.network = Network::ipv6;
  view.tos = uint8_t((bytes[0] & 0x0f) << 4 | bytes[1] >> 4);
  view.ipv6_flow_label = uint32_t(bytes[1] & 0x0f) << 16 | uint32_t(bytes[2]) << 8 | bytes[3];
  const size_t payload_len = be16(&bytes[4]);
  uint8_t next_header = bytes[6];
  view.ttl = bytes[7];
  view.src = IpAddress::from_v6(&bytes[8]);
  view.dst = IpAddress::from_v6(&bytes[24]);
  // A payload length of 0 is a jumbogram or a segmentation-offload packet: the capture decides.
  const size_t packet_end = payload_len == 0 ? bytes.size() : 40 + payload_len;

  size_t offset = 40;
  bool first_fragment = true;
  for (bool walking = true; walking;) {
    switch (next_header) {
      case kHopByHop:
      case kRouting:
      case kDestinationOptions:
      case kMobility:
        if (offset + 2 > bytes.size()) return Damage::truncated_ipv6_extension;
        next_header = bytes[offset];
        offset += (size_t(bytes[offset + 1]) + 1) * 8;
        break;
      case kAuthentication:
        if (offset + 2 > bytes.size()) return Damage::truncated_ipv6_extension;
        next_header = bytes[offset];
        offset += (size_t(bytes[offset + 1]) + 2) * 4;
        break;
      case kFragment: {
        if (offset + 8 > bytes.size()) return Damage::truncated_ipv6_extension;
        next_header = bytes[offset];
        const uint16_t offset_and_flags = be16(&bytes[offset + 2]);
        view.fragment_offset = offset_and_flags & 0xfff8;
        view.more_fragments = offset_and_flags & 0x1;
        view.is_fragment = view.fragment_offset != 0 || view.more_fragments;
        view.ip_id = be32(&bytes[offset + 4]);
        first_fragment = view.fragment_offset == 0;
        offset += 8;
        break;
      }
      default: walking = false;
    }
    if (offset > bytes.size()) return Damage::truncated_ipv6_extension;
  }
  view.ip_protocol = next_header;
  view.ip_payload_len = packet_end > offset ? uint32_t(packet_end - offset) : 0;
  if (!first_fragment) return Damage::none;
  const size_t captured_end = std::min(packet_end, bytes.size());
  if (captured_end < offset) return Damage::none;
  return transport(bytes.subspan(offset, captured_end - offset), view, depth);
}

Damage arp(Bytes bytes, PacketView& view) {
  if (bytes.size() < 8) return Damage::truncated_arp;
  ArpFields& fields = view.arp;
  fields.hardware_type = be16(&bytes[0]);
  fields.protocol_type = be16(&bytes[2]);
  fields.hardware_len = bytes[4];
  fields.protocol_len = bytes[5];
  fields.operation = be16(&bytes[6]);
  const size_t hlen = fields.hardware_len, plen = fields.protocol_len;
  if (bytes.size() < 8 + 2 * hlen + 2 * plen) return Damage::truncated_arp;
  const uint8_t* sender_mac = &bytes[8];
  const uint8_t* sender_ip = sender_mac + hlen;
  const uint8_t* target_mac = sender_ip + plen;
  const uint8_t* target_ip = target_mac + hlen;
  if (hlen == 6) {
    fields.sender_mac = mac_at(sender_mac);
    fields.target_mac = mac_at(target_mac);
  }
  if (plen == 4 && fields.protocol_type == 0x0800) {
    fields.sender_ip = IpAddress::from_v4(sender_ip);
    fields.target_ip = IpAddress::from_v4(target_ip);
  }
  view.network = Network::arp;
  return Damage::none;
}

// Enhanced GRE (version 1, PPTP): a key, optional sequence and acknowledgment numbers, then PPP.
Damage pptp_gre(Bytes bytes, uint16_t flags, PacketView& view, int depth) {
  size_t offset = 8;                 // flags, protocol, payload length, call id
  if (flags & 0x1000) offset += 4;   // sequence number
  if (flags & 0x0080) offset += 4;   // acknowledgment number
  if (offset > bytes.size()) return Damage::truncated_gre_header;
  if (offset == bytes.size()) return Damage::none;  // an acknowledgment alone stays a GRE packet
  if (depth >= kMaxDepth) return Damage::tunnel_too_deep;
  view.tunneled = true;
  return ppp(bytes.subspan(offset), view, depth + 1);
}

// GRE version 0 carrying IP, Ethernet or ERSPAN is decapsulated, as argus does: the view then
// describes the inner packet (flow_bytes still counts the whole frame). Other GRE stays a
// protocol-only flow between the outer addresses.
Damage gre(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 4) return Damage::truncated_gre_header;
  const uint16_t flags = be16(&bytes[0]), protocol = be16(&bytes[2]);
  if ((flags & 0x7) == 1 && protocol == 0x880b) return pptp_gre(bytes, flags, view, depth);
  if ((flags & 0x7) != 0) return Damage::none;
  size_t offset = 4;
  if (flags & 0xc000) offset += 4;  // checksum (and offset) present
  if (flags & 0x2000) offset += 4;  // key
  if (flags & 0x1000) offset += 4;  // sequence number
  if (offset > bytes.size()) return Damage::truncated_gre_header;
  Bytes inner = bytes.subspan(offset);
  if (depth >= kMaxDepth) return Damage::tunnel_too_deep;
  switch (protocol) {
    case 0x0800:
    case 0x86dd:
      view.tunneled = true;
      return ip_by_version(inner, view, depth + 1);
    case 0x6558:  // transparent Ethernet bridging
      view.tunneled = true;
      return ethernet(inner, view, depth + 1);
    case 0x88be:  // ERSPAN type II: an 8-byte header, then the mirrored frame
      if (inner.size() < 8) return Damage::truncated_gre_header;
      view.tunneled = true;
      return ethernet(inner.subspan(8), view, depth + 1);
    default: return Damage::none;  // including ERSPAN type III, which argus leaves as GRE
  }
}

}  // namespace botd::decode
