// Transport layers: TCP, UDP, ICMP (with the quoted header of errors), ICMPv6, ESP; GRE is
// handed back to the network layer for decapsulation.
#include <algorithm>

#include "capture/decode_internal.h"

namespace botd::decode {
namespace {

// Sets payload_len and the captured payload span after a transport header of `header_len`.
void set_payload(Bytes segment, size_t header_len, PacketView& view) {
  view.payload_len = view.ip_payload_len > header_len ? uint32_t(view.ip_payload_len - header_len) : 0;
  view.payload = header_len < segment.size() ? segment.subspan(header_len) : Bytes{};
  if (view.payload.size() > view.payload_len) view.payload = view.payload.first(view.payload_len);
}

// The window scale option of a SYN, or -1.
int8_t window_scale_option(Bytes options) {
  size_t i = 0;
  while (i < options.size()) {
    const uint8_t kind = options[i];
    if (kind == 0) break;  // end of options
    if (kind == 1) { ++i; continue; }  // no-op
    if (i + 1 >= options.size()) break;
    const uint8_t length = options[i + 1];
    if (length < 2 || i + length > options.size()) break;
    if (kind == 3 && length == 3) return int8_t(std::min<uint8_t>(options[i + 2], 14));
    i += length;
  }
  return -1;
}

Damage tcp(Bytes segment, PacketView& view) {
  if (segment.size() < 20) {
    // A first fragment may end inside the TCP header; argus then treats it as a fragment.
    if (view.more_fragments && view.ip_payload_len < 20) return Damage::none;
    return Damage::truncated_tcp_header;
  }
  // A data offset under 5, or options that run past the IP payload (a first fragment, a lying
  // offset): the fixed header still holds, and argus counts the packet. So does botd.
  const size_t header_len = std::clamp<size_t>(size_t(segment[12] >> 4) * 4, 20, std::max<size_t>(20, view.ip_payload_len));
  view.has_ports = true;
  view.sport = be16(&segment[0]);
  view.dport = be16(&segment[2]);
  view.has_tcp = true;
  view.tcp_seq = be32(&segment[4]);
  view.tcp_ack = be32(&segment[8]);
  view.tcp_flags = segment[13];
  view.tcp_window = be16(&segment[14]);
  if (view.tcp_flags & tcp_flag::syn) {
    const size_t captured_header = std::min(header_len, segment.size());
    view.tcp_window_scale = window_scale_option(segment.subspan(20, captured_header - 20));
  }
  set_payload(segment, header_len, view);
  return Damage::none;
}

Damage udp(Bytes segment, PacketView& view) {
  if (segment.size() < 8) {
    if (view.more_fragments && view.ip_payload_len < 8) return Damage::none;  // see tcp()
    return Damage::truncated_udp_header;
  }
  view.has_ports = true;
  view.sport = be16(&segment[0]);
  view.dport = be16(&segment[2]);
  set_payload(segment, 8, view);
  return Damage::none;
}

// ICMP errors quote the IP header (and 8 bytes) of the packet that caused them.
void icmp_quote(Bytes quoted, PacketView& view) {
  if (quoted.size() < 20 || quoted[0] >> 4 != 4) return;
  const size_t header_len = size_t(quoted[0] & 0x0f) * 4;
  IcmpQuote& quote = view.icmp_quote;
  quote.tos = quoted[1];
  quote.protocol = quoted[9];
  quote.src = IpAddress::from_v4(&quoted[12]);
  quote.dst = IpAddress::from_v4(&quoted[16]);
  if (header_len >= 20 && quoted.size() >= header_len + 4) {
    quote.has_ports = true;
    quote.sport = be16(&quoted[header_len]);
    quote.dport = be16(&quoted[header_len + 2]);
  }
  if (quote.protocol == ip_protocol::udp && quoted.size() >= header_len + 10) {
    quote.has_payload_head = true;
    quote.payload_head = be16(&quoted[header_len + 8]);
  }
  view.has_icmp_quote = true;
}

bool is_icmp_error(uint8_t type) { return type == 3 || type == 4 || type == 5 || type == 11 || type == 12; }

Damage icmp(Bytes segment, PacketView& view) {
  if (segment.size() < 4) return Damage::truncated_icmp_header;
  view.has_icmp = true;
  view.icmp_type = segment[0];
  view.icmp_code = segment[1];
  if (segment.size() >= 8) {
    view.icmp_id = be16(&segment[4]);
    view.icmp_seq = be16(&segment[6]);
    if (is_icmp_error(view.icmp_type)) icmp_quote(segment.subspan(8), view);
  }
  set_payload(segment, 8, view);
  return Damage::none;
}

Damage icmpv6(Bytes segment, PacketView& view) {
  if (segment.size() < 4) return Damage::truncated_icmp_header;
  view.has_icmp = true;
  view.icmp_type = segment[0];
  view.icmp_code = segment[1];
  if (segment.size() >= 8 && (view.icmp_type == 128 || view.icmp_type == 129)) {
    view.icmp_id = be16(&segment[4]);
    view.icmp_seq = be16(&segment[6]);
  }
  set_payload(segment, 8, view);
  return Damage::none;
}

}  // namespace

Damage transport(Bytes segment, PacketView& view, int depth) {
  switch (view.ip_protocol) {
    case ip_protocol::tcp: return tcp(segment, view);
    case ip_protocol::udp: return udp(segment, view);
    case ip_protocol::icmp: return icmp(segment, view);
    case ip_protocol::icmpv6: return icmpv6(segment, view);
    case ip_protocol::gre: return gre(segment, view, depth);
    case ip_protocol::esp:
      if (segment.size() >= 4) view.esp_spi = be32(&segment[0]);
      set_payload(segment, 8, view);
      return Damage::none;
    default:
      set_payload(segment, 0, view);
      return Damage::none;
  }
}

}  // namespace botd::decode
