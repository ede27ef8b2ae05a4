// PacketView: one captured packet, decoded once, holding what the later stages need.
//
// The decoder (decoder.h) fills a PacketView from the raw record; windows, flows and split
// read it. Every field is a value copied out of the packet, except `payload`, which points
// into the capture's buffer and is valid only until the next packet is read.
// Fields that do not apply to a packet keep their zero defaults; the `has_*` flags and
// `network` say which parts were decoded.
#pragma once

#include <cstdint>
#include <span>

#include "core/net_address.h"

namespace botd {

// What sits on top of the link layer.
enum class Network : uint8_t {
  none,         // nothing decodable (e.g. an 802.11 management frame)
  ipv4,
  ipv6,
  arp,          // ARP (ethertype 0x0806)
  other_ether,  // any other frame with MAC addresses: LLC, RARP, PPPoE discovery, LLDP, ... (a MAC flow)
};

// The fields of an ICMP error's quoted IP header (types 3, 4, 5, 11, 12).
struct IcmpQuote {
  IpAddress src, dst;
  uint8_t protocol = 0;
  uint8_t tos = 0;
  uint16_t sport = 0, dport = 0;
  bool has_ports = false;
  bool has_payload_head = false;
  uint16_t payload_head = 0;  // the first two bytes after the quoted UDP/TCP header (a DNS id)
};

struct ArpFields {
  uint16_t operation = 0;       // 1 request, 2 reply (3/4 RARP)
  uint16_t hardware_type = 0, protocol_type = 0;
  uint8_t hardware_len = 0, protocol_len = 0;
  MacAddress sender_mac, target_mac;
  IpAddress sender_ip, target_ip;  // valid when protocol_type is IPv4 and protocol_len 4
};

struct PacketView {
  // The capture record.
  int64_t time_ns = 0;
  uint32_t wire_len = 0;      // original length on the wire (pcap "len")
  uint32_t captured_len = 0;  // bytes present in the capture (pcap "caplen")
  // The bytes argus counts for this packet: wire_len minus the link header, except on
  // Ethernet, where the whole frame counts (ARGUS-NOTES §1).
  uint32_t flow_bytes = 0;

  // Link layer.
  Network network = Network::none;
  bool has_macs = false;
  MacAddress mac_src, mac_dst;
  uint16_t ethertype = 0;                // of the network layer; 0 for 802.3/LLC frames
  uint8_t llc_dsap = 0, llc_ssap = 0;    // LLC frames without a SNAP ethertype
  uint8_t vlan_count = 0;                // 802.1Q/802.1ad tags seen (at most 2 kept)
  uint16_t vlan_ids[2] = {0, 0};         // outermost first
  bool tunneled = false;                 // the IP fields below describe a packet inside GRE

  // IP (IPv4 or IPv6).
  IpAddress src, dst;
  uint8_t ip_protocol = 0;        // transport protocol; for IPv6 after the extension headers
  uint8_t ttl = 0;                // IPv6: hop limit
  uint8_t tos = 0;                // IPv6: traffic class
  uint32_t ip_id = 0;             // IPv4 identification; IPv6 fragment identification
  uint32_t ip_payload_len = 0;    // transport header + payload, from the IP length fields
  uint32_t ipv6_flow_label = 0;
  uint32_t fragment_offset = 0;   // in bytes
  bool more_fragments = false;
  bool is_fragment = false;       // fragment_offset != 0 || more_fragments

  // Transport (for non-first fragments only the IP part above is set).
  bool has_ports = false;
  uint16_t sport = 0, dport = 0;
  bool has_tcp = false;
  uint8_t tcp_flags = 0;          // FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40 CWR 0x80
  uint32_t tcp_seq = 0, tcp_ack = 0;
  uint16_t tcp_window = 0;
  int8_t tcp_window_scale = -1;   // from a SYN's window scale option; -1 when absent
  bool has_icmp = false;
  uint8_t icmp_type = 0, icmp_code = 0;
  uint16_t icmp_id = 0, icmp_seq = 0;  // echo, timestamp, info and mask messages
  bool has_icmp_quote = false;
  IcmpQuote icmp_quote;
  uint32_t esp_spi = 0;           // IPsec ESP
  uint32_t payload_len = 0;       // application bytes after the transport header, from IP lengths
  std::span<const uint8_t> payload;  // the captured part of them

  // ARP.
  ArpFields arp;

  // A fragment without a transport header: not the first, or a first one cut inside it.
  bool is_fragment_tail() const {
    return is_fragment && (fragment_offset != 0 || ((ip_protocol == 6 || ip_protocol == 17) && !has_ports));
  }
};

namespace tcp_flag {
constexpr uint8_t fin = 0x01, syn = 0x02, rst = 0x04, psh = 0x08, ack = 0x10, urg = 0x20, ece = 0x40, cwr = 0x80;
}

namespace ip_protocol {
constexpr uint8_t icmp = 1, igmp = 2, ipip = 4, tcp = 6, udp = 17, ipv6 = 41, gre = 47, esp = 50, ah = 51,
                  icmpv6 = 58;
}

}  // namespace botd
