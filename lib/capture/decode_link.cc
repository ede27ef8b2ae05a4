// Link layers: each strips its header, sets flow_bytes by argus's rule, and hands the rest
// to the network layer by ethertype or IP version.
#include <pcap/pcap.h>

#include <algorithm>
#include <cstring>

#include "capture/decode_internal.h"

namespace botd::decode {
namespace {

namespace ethertype {
constexpr uint16_t ipv4 = 0x0800, arp = 0x0806, ipv6 = 0x86dd, vlan = 0x8100, qinq = 0x88a8, qinq_old = 0x9100,
                   mpls = 0x8847, mpls_multicast = 0x8848, pppoe_session = 0x8864;
}

// argus counts the wire length minus the link header on every link type but Ethernet.
void count_without_link_header(PacketView& view, uint32_t header_len) {
  view.flow_bytes = view.wire_len > header_len ? view.wire_len - header_len : 0;
}

// 802.2 LLC, possibly with a SNAP header carrying an ethertype.
Damage llc(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 3) return Damage::truncated_llc_header;
  const uint8_t dsap = bytes[0], ssap = bytes[1], control = bytes[2];
  if (dsap == 0xaa && ssap == 0xaa && control == 0x03) {
    if (bytes.size() < 8) return Damage::truncated_llc_header;
    // An ethertype follows only under the zero organisation code (RFC 1042); argus keeps
    // other SNAP frames (Cisco's CDP, ...) as LLC.
    if (bytes[3] == 0 && bytes[4] == 0 && bytes[5] == 0) return by_ethertype(be16(&bytes[6]), bytes.subspan(8), view, depth);
  }
  view.network = Network::other_ether;
  view.ethertype = 0;
  view.llc_dsap = dsap;
  view.llc_ssap = ssap;
  return Damage::none;
}

Damage mpls(Bytes bytes, PacketView& view, int depth) {
  for (;;) {
    if (bytes.size() < 4) return Damage::truncated_mpls_header;
    const bool bottom_of_stack = bytes[2] & 0x01;
    bytes = bytes.subspan(4);
    if (bottom_of_stack) break;
  }
  if (bytes.empty()) return Damage::truncated_mpls_header;
  switch (bytes[0] >> 4) {
    case 4:
    case 6: return ip_by_version(bytes, view, depth);
    case 0:  // an Ethernet pseudowire behind a 4-byte control word
      if (bytes.size() < 4) return Damage::truncated_mpls_header;
      return ethernet(bytes.subspan(4), view, depth + 1);
    default: view.network = Network::none; return Damage::none;
  }
}

// The network layer named by a PPP protocol number.
Damage by_ppp_protocol(uint16_t protocol, Bytes bytes, PacketView& view, int depth) {
  switch (protocol) {
    case 0x0021: return ipv4(bytes, view, depth);
    case 0x0057: return ipv6(bytes, view, depth);
    case 0x0281:
    case 0x0283: return mpls(bytes, view, depth);
    default: view.network = Network::none; return Damage::none;  // LCP, IPCP, CHAP, ...
  }
}

Damage pppoe_session(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 8) return Damage::truncated_pppoe_header;
  const Damage damage = by_ppp_protocol(be16(&bytes[6]), bytes.subspan(8), view, depth);
  if (damage == Damage::none && view.network == Network::none && view.has_macs) {
    view.network = Network::other_ether;  // LCP, IPCP, ...: argus makes a "pppoe" MAC flow
    view.ethertype = 0x8864;
  }
  return damage;
}

}  // namespace

// PPP with optional address/control bytes and a 1- or 2-byte protocol field.
Damage ppp(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() >= 2 && bytes[0] == 0xff && bytes[1] == 0x03) bytes = bytes.subspan(2);
  if (bytes.empty()) return Damage::truncated_link_header;
  if (bytes[0] & 0x01) return by_ppp_protocol(bytes[0], bytes.subspan(1), view, depth);  // compressed
  if (bytes.size() < 2) return Damage::truncated_link_header;
  return by_ppp_protocol(be16(&bytes[0]), bytes.subspan(2), view, depth);
}

namespace {

Damage cisco_hdlc(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 4) return Damage::truncated_link_header;
  return by_ethertype(be16(&bytes[2]), bytes.subspan(4), view, depth);
}

Damage linux_sll(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 16) return Damage::truncated_link_header;
  const uint16_t hardware_type = be16(&bytes[2]), address_len = be16(&bytes[4]), protocol = be16(&bytes[14]);
  if (hardware_type == 1 && address_len == 6) {
    view.has_macs = true;
    view.mac_src = mac_at(&bytes[6]);
  }
  if (protocol == 0x0004) return llc(bytes.subspan(16), view, depth);
  return by_ethertype(protocol, bytes.subspan(16), view, depth);
}

Damage linux_sll2(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 20) return Damage::truncated_link_header;
  const uint16_t protocol = be16(&bytes[0]), hardware_type = be16(&bytes[8]);
  if (hardware_type == 1 && bytes[11] == 6) {
    view.has_macs = true;
    view.mac_src = mac_at(&bytes[12]);
  }
  if (protocol == 0x0004) return llc(bytes.subspan(20), view, depth);
  return by_ethertype(protocol, bytes.subspan(20), view, depth);
}

// BSD loopback: a 4-byte address family, in the capturing host's byte order (NULL) or
// big-endian (LOOP). IPv6 has a different AF_INET6 value on every BSD.
Damage bsd_loopback(Bytes bytes, PacketView& view, int depth, bool big_endian) {
  if (bytes.size() < 4) return Damage::truncated_link_header;
  uint32_t family = big_endian ? be32(&bytes[0]) : le32(&bytes[0]);
  if (!big_endian && family > 0xffff) family = be32(&bytes[0]);
  switch (family) {
    case 2: return ipv4(bytes.subspan(4), view, depth);
    case 10:
    case 24:
    case 28:
    case 30: return ipv6(bytes.subspan(4), view, depth);
    default: view.network = Network::none; return Damage::none;
  }
}

// An 802.11 frame: only data frames carry IP; their body starts with LLC/SNAP.
Damage ieee802_11(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 2) return Damage::truncated_link_header;
  const uint8_t frame_type = (bytes[0] >> 2) & 0x3, subtype = bytes[0] >> 4, flags = bytes[1];
  const bool to_ds = flags & 0x01, from_ds = flags & 0x02, is_protected = flags & 0x40, order = flags & 0x80;
  if (frame_type != 2 || (subtype & 0x4) || is_protected) {  // not data, a null-data frame, or encrypted
    view.network = Network::none;
    return Damage::none;
  }
  size_t header_len = 24 + (to_ds && from_ds ? 6 : 0);
  const bool qos = subtype & 0x8;
  if (qos) header_len += 2 + (order ? 4 : 0);
  if (bytes.size() < header_len) return Damage::truncated_link_header;
  // Source and destination by the DS bits: addr1 at 4, addr2 at 10, addr3 at 16, addr4 at 24.
  const size_t dst_at = to_ds ? 16 : 4;
  const size_t src_at = from_ds ? (to_ds ? 24 : 16) : 10;
  view.has_macs = true;
  view.mac_dst = mac_at(&bytes[dst_at]);
  view.mac_src = mac_at(&bytes[src_at]);
  return llc(bytes.subspan(header_len), view, depth);
}

Damage radiotap(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 4) return Damage::truncated_link_header;
  const uint16_t header_len = le16(&bytes[2]);
  if (header_len > bytes.size()) return Damage::truncated_link_header;
  count_without_link_header(view, header_len);  // argus counts the 802.11 frame, not the radio header
  return ieee802_11(bytes.subspan(header_len), view, depth);
}

Damage ppi(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 8) return Damage::truncated_link_header;
  const uint16_t header_len = le16(&bytes[2]);
  const uint32_t inner_link_type = le32(&bytes[4]);
  if (header_len < 8 || header_len > bytes.size()) return Damage::truncated_link_header;
  if (inner_link_type == DLT_PPI || depth >= kMaxDepth) return Damage::tunnel_too_deep;
  return link_layer(int(inner_link_type), bytes.subspan(header_len), view, depth + 1);
}

// Linux NFLOG: a 4-byte header, then TLVs; the packet is the NFULA_PAYLOAD (type 9) TLV.
Damage nflog(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 4) return Damage::truncated_link_header;
  const uint8_t family = bytes[0];
  size_t offset = 4;
  while (offset + 4 <= bytes.size()) {
    const uint16_t tlv_len = le16(&bytes[offset]), tlv_type = le16(&bytes[offset + 2]);
    if (tlv_len < 4 || offset + tlv_len > bytes.size()) return Damage::truncated_link_header;
    if (tlv_type == 9) {
      Bytes packet = bytes.subspan(offset + 4, tlv_len - 4);
      view.flow_bytes = uint32_t(packet.size());
      if (family == 2) return ipv4(packet, view, depth);
      if (family == 10) return ipv6(packet, view, depth);
      view.network = Network::none;
      return Damage::none;
    }
    offset += (tlv_len + 3u) & ~3u;
  }
  view.network = Network::none;
  return Damage::none;
}

Damage ipnet(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 24) return Damage::truncated_link_header;
  if (bytes[1] == 2) return ipv4(bytes.subspan(24), view, depth);
  if (bytes[1] == 26) return ipv6(bytes.subspan(24), view, depth);
  view.network = Network::none;
  return Damage::none;
}

// Apple PKTAP: a header of its own length, naming the link type that follows.
Damage pktap(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 12) return Damage::truncated_link_header;
  const uint32_t header_len = le32(&bytes[0]), inner_link_type = le32(&bytes[8]);
  if (header_len < 12 || header_len > bytes.size()) return Damage::truncated_link_header;
  if (inner_link_type == DLT_PKTAP || depth >= kMaxDepth) return Damage::tunnel_too_deep;
  return link_layer(int(inner_link_type), bytes.subspan(header_len), view, depth + 1);
}

// FDDI: frame control, destination and source MACs (13 bytes), then LLC.
Damage fddi(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 13) return Damage::truncated_link_header;
  view.has_macs = true;
  view.mac_dst = mac_at(&bytes[1]);
  view.mac_src = mac_at(&bytes[7]);
  return llc(bytes.subspan(13), view, depth);
}

// Frame Relay (RFC 2427): a 2-byte Q.922 address, UI control, then an NLPID.
Damage frame_relay(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 4) return Damage::truncated_link_header;
  size_t offset = 3;  // address (2), control 0x03
  if (bytes[offset] == 0x00) ++offset;  // padding
  if (offset >= bytes.size()) return Damage::truncated_link_header;
  const uint8_t nlpid = bytes[offset];
  if (nlpid == 0xcc) return ipv4(bytes.subspan(offset + 1), view, depth);
  if (nlpid == 0x8e) return ipv6(bytes.subspan(offset + 1), view, depth);
  if (nlpid == 0x80) {  // SNAP: OUI (3), protocol id (2)
    if (bytes.size() < offset + 6) return Damage::truncated_link_header;
    return by_ethertype(be16(&bytes[offset + 4]), bytes.subspan(offset + 6), view, depth);
  }
  view.network = Network::none;
  return Damage::none;
}

}  // namespace

Damage ethernet(Bytes bytes, PacketView& view, int depth) {
  if (bytes.size() < 14) return Damage::truncated_link_header;
  if (depth > kMaxDepth) return Damage::tunnel_too_deep;
  view.has_macs = true;
  view.mac_dst = mac_at(&bytes[0]);
  view.mac_src = mac_at(&bytes[6]);
  const uint16_t type_or_length = be16(&bytes[12]);
  if (type_or_length <= 1500) return llc(bytes.subspan(14), view, depth);
  return by_ethertype(type_or_length, bytes.subspan(14), view, depth);
}

Damage by_ethertype(uint16_t type, Bytes bytes, PacketView& view, int depth) {
  while (type == ethertype::vlan || type == ethertype::qinq || type == ethertype::qinq_old) {
    if (bytes.size() < 4) return Damage::truncated_vlan_header;
    if (view.vlan_count < 2) view.vlan_ids[view.vlan_count] = be16(&bytes[0]) & 0x0fff;
    ++view.vlan_count;
    type = be16(&bytes[2]);
    bytes = bytes.subspan(4);
  }
  view.ethertype = type;
  switch (type) {
    case ethertype::ipv4: return ipv4(bytes, view, depth);
    case ethertype::ipv6: return ipv6(bytes, view, depth);
    case ethertype::arp: return arp(bytes, view);
    case ethertype::mpls:
    case ethertype::mpls_multicast: return mpls(bytes, view, depth);
    case ethertype::pppoe_session: return pppoe_session(bytes, view, depth);
    default:
      if (type <= 1500) return llc(bytes, view, depth);  // a length, inside a VLAN tag
      view.network = view.has_macs ? Network::other_ether : Network::none;
      return Damage::none;
  }
}

Damage link_layer(int link_type, Bytes bytes, PacketView& view, int depth) {
  switch (link_type) {
    case DLT_EN10MB: view.flow_bytes = view.wire_len; return ethernet(bytes, view, depth);
    case DLT_LINUX_SLL: count_without_link_header(view, 16); return linux_sll(bytes, view, depth);
    case DLT_LINUX_SLL2: count_without_link_header(view, 20); return linux_sll2(bytes, view, depth);
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6: view.flow_bytes = view.wire_len; return ip_by_version(bytes, view, depth);
    case DLT_NULL: count_without_link_header(view, 4); return bsd_loopback(bytes, view, depth, false);
    case DLT_LOOP: count_without_link_header(view, 4); return bsd_loopback(bytes, view, depth, true);
    case DLT_PPP:
    case DLT_PPP_SERIAL:
      count_without_link_header(view, 4);
      if (!bytes.empty() && (bytes[0] == 0x0f || bytes[0] == 0x8f)) return cisco_hdlc(bytes, view, depth);
      return ppp(bytes, view, depth);
    case DLT_PPP_ETHER: count_without_link_header(view, 8); return pppoe_session(bytes, view, depth);
    case DLT_C_HDLC: count_without_link_header(view, 4); return cisco_hdlc(bytes, view, depth);
    case DLT_IEEE802_11: view.flow_bytes = view.wire_len; return ieee802_11(bytes, view, depth);
    case DLT_IEEE802_11_RADIO: view.flow_bytes = view.wire_len; return radiotap(bytes, view, depth);
    case DLT_PPI: view.flow_bytes = view.wire_len; return ppi(bytes, view, depth);
    case DLT_NFLOG: view.flow_bytes = view.wire_len; return nflog(bytes, view, depth);
    case DLT_IPNET: count_without_link_header(view, 24); return ipnet(bytes, view, depth);
    case DLT_SLIP:  // libpcap's 16-byte SLIP pseudo-header, then IP
      count_without_link_header(view, 16);
      if (bytes.size() < 16) return Damage::truncated_link_header;
      return ip_by_version(bytes.subspan(16), view, depth);
    case DLT_IPOIB:  // 2-byte ethertype, 2 reserved
      count_without_link_header(view, 4);
      if (bytes.size() < 4) return Damage::truncated_link_header;
      return by_ethertype(be16(&bytes[0]), bytes.subspan(4), view, depth);
    case DLT_PKTAP: view.flow_bytes = view.wire_len; return pktap(bytes, view, depth);
    case DLT_FRELAY: count_without_link_header(view, 4); return frame_relay(bytes, view, depth);
    case DLT_FDDI: view.flow_bytes = view.wire_len; return fddi(bytes, view, depth);
    default: view.network = Network::none; return Damage::none;
  }
}

}  // namespace botd::decode
