// PacketDecoder: turns one raw capture record into a PacketView (packet.h).
//
// It walks the layers once: link (Ethernet with VLAN/MPLS/PPPoE, Linux cooked v1/v2, raw
// IP, BSD loopback, PPP, Cisco HDLC, 802.11 with radiotap/PPI, NFLOG, IPNET, SLIP, ...),
// then IPv4/IPv6 (extension headers walked, GRE version 0 decapsulated as argus does),
// then TCP/UDP/ICMP/ICMPv6/ARP. Every read is bounds-checked against the captured bytes:
// a header cut short returns its Damage reason and leaves the view partly filled.
// Missing payload beyond the headers (caplen < len) is not damage.
//
// Thread safety: a decoder is immutable after construction; decode() may run concurrently.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "capture/damage.h"
#include "capture/packet.h"

namespace botd {

// One record as read from the capture file.
struct RawPacket {
  int64_t time_ns = 0;
  uint32_t wire_len = 0;
  std::span<const uint8_t> bytes;  // the captured bytes (caplen of them)
};

// True for the link types (libpcap DLT values) botd decodes.
bool is_supported_link_type(int link_type);

// "EN10MB (Ethernet)", "USER13 (DLT_USER13)", or "123" when libpcap does not know it.
std::string link_type_name(int link_type);

class PacketDecoder {
 public:
  // REQUIRES: is_supported_link_type(link_type)
  explicit PacketDecoder(int link_type) : link_type_(link_type) {}

  // Fills `view` (reset first) from `raw`. Returns Damage::none when every header the
  // packet's protocols need was present and consistent.
  Damage decode(const RawPacket& raw, PacketView& view) const;

 private:
  int link_type_;
};

}  // namespace botd
