// LanNetworks: which addresses are the LAN's hosts, the ones botd scores (--lan, SPEC §1).
//
// Default: RFC 1918 (10/8, 172.16/12, 192.168/16), shared address space 100.64/10, IPv6
// unique local fc00::/7 and link local fe80::/10. A flow's address is its text as the flow
// carries it; text that is not an IP address (MAC addresses of ARP flows) is never a LAN host.
//
// Not thread-safe: contains() caches its answers per address text (at most 65,536).
#pragma once

#include <string>
#include <string_view>
#include <functional>
#include <unordered_map>
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

  bool contains(std::string_view address_text);

 private:
  static constexpr size_t kCachedAddresses = 1 << 16;
  std::vector<IpPrefix> prefixes_;
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
  };
  std::unordered_map<std::string, bool, TextHash, std::equal_to<>> seen_;
};

}  // namespace botd
