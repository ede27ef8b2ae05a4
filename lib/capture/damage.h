// Damage: the named reasons a packet cannot be decoded, and their counters.
//
// A damaged packet is counted under one reason and skipped by the stages that need its
// headers (flows); capture-level tools such as split still copy it. Names are stable: they
// appear in summaries and in --stats JSON.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace botd {

enum class Damage : uint8_t {
  none,
  truncated_link_header,
  truncated_vlan_header,
  truncated_mpls_header,
  truncated_pppoe_header,
  truncated_llc_header,
  truncated_ipv4_header,
  bad_ipv4_header_length,
  bad_ipv4_total_length,
  bad_ip_version,
  truncated_ipv6_header,
  truncated_ipv6_extension,
  truncated_tcp_header,
  truncated_udp_header,
  truncated_icmp_header,
  truncated_arp,
  truncated_gre_header,
  tunnel_too_deep,
  timestamp_out_of_range,  // before 1970 or from 2200 on (core/time_format.h): never placed in a window
  kCount,
};

std::string_view damage_name(Damage reason);

class DamageCounts {
 public:
  void add(Damage reason) { ++counts_[size_t(reason)]; }
  void add(const DamageCounts& other) {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  }
  uint64_t count(Damage reason) const { return counts_[size_t(reason)]; }
  uint64_t total() const;
  // "3 damaged (2 truncated_ipv4_header, 1 truncated_tcp_header)", or "0 damaged".
  std::string summary() const;

 private:
  std::array<uint64_t, size_t(Damage::kCount)> counts_{};
};

}  // namespace botd
