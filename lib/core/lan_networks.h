// LanNetworks: which addresses are the LAN's hosts, the ones botd scores (--lan, SPEC §1).
//
// Default: RFC 1918 (10/8, 172.16/12, 192.168/16), shared address space 100.64/10, IPv6
// unique local fc00::/7 and link local fe80::/10. Text that is not an IP address (MAC
// addresses) is never a LAN host.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/net_address.h"

namespace botd {

// The default --lan.
constexpr std::string_view kDefaultLan = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7,fe80::/10";

class LanNetworks {
 public:
  // The default networks.
  LanNetworks();
  // "10.0.0.0/8,147.32.0.0/16"; a bare address is a /32 (/128). Throws Error naming the bad
  // entry. An empty list means the default.
  static LanNetworks parse(std::string_view list);

  bool contains(const IpAddress& address) const;
  // Parses the text every time: that costs less than a cache of answers, which a capture of
  // many hosts overflows (a cache of 65,536 was 4-8% of a report's time on the benchmark).
  bool contains(std::string_view address_text) const;
  // A flow's end (flow/flow_record.h: src_ip and src_addr): its address as numbers when the
  // record has them, else its text.
  bool contains(const std::optional<IpAddress>& address, std::string_view address_text) const {
    return address ? contains(*address) : contains(address_text);
  }

 private:
  std::vector<IpPrefix> prefixes_;
};

}  // namespace botd
