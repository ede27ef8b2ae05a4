#include "capture/damage.h"

#include <fmt/format.h>

namespace botd {

std::string_view damage_name(Damage reason) {
  switch (reason) {
    case Damage::none: return "none";
    case Damage::truncated_link_header: return "truncated_link_header";
    case Damage::truncated_vlan_header: return "truncated_vlan_header";
    case Damage::truncated_mpls_header: return "truncated_mpls_header";
    case Damage::truncated_pppoe_header: return "truncated_pppoe_header";
    case Damage::truncated_llc_header: return "truncated_llc_header";
    case Damage::truncated_ipv4_header: return "truncated_ipv4_header";
    case Damage::bad_ipv4_header_length: return "bad_ipv4_header_length";
    case Damage::bad_ipv4_total_length: return "bad_ipv4_total_length";
    case Damage::bad_ip_version: return "bad_ip_version";
    case Damage::truncated_ipv6_header: return "truncated_ipv6_header";
    case Damage::truncated_ipv6_extension: return "truncated_ipv6_extension";
    case Damage::truncated_tcp_header: return "truncated_tcp_header";
    case Damage::truncated_udp_header: return "truncated_udp_header";
    case Damage::truncated_icmp_header: return "truncated_icmp_header";
    case Damage::truncated_arp: return "truncated_arp";
    case Damage::truncated_gre_header: return "truncated_gre_header";
    case Damage::tunnel_too_deep: return "tunnel_too_deep";
    case Damage::timestamp_out_of_range: return "timestamp_out_of_range";
    case Damage::kCount: break;
  }
  return "unknown";
}

uint64_t DamageCounts::total() const {
  uint64_t sum = 0;
  for (size_t i = 1; i < counts_.size(); ++i) sum += counts_[i];
  return sum;
}

std::string DamageCounts::summary() const {
  std::string details;
  for (size_t i = 1; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    details += fmt::format("{}{} {}", details.empty() ? "" : ", ", counts_[i], damage_name(Damage(i)));
  }
  if (details.empty()) return "0 damaged";
  return fmt::format("{} damaged ({})", total(), details);
}

}  // namespace botd
