#include "core/lan_networks.h"

#include "core/error.h"

namespace botd {
namespace {

std::vector<IpPrefix> parse_prefixes(std::string_view list) {
  std::vector<IpPrefix> prefixes;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string entry(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry.empty()) continue;
    if (entry.find('/') == std::string::npos) entry += entry.find(':') == std::string::npos ? "/32" : "/128";
    const std::optional<IpPrefix> prefix = IpPrefix::parse(entry);
    if (!prefix) fail("--lan: not a network: '{}' (expected CIDR[,CIDR...], e.g. 147.32.0.0/16)", entry);
    prefixes.push_back(*prefix);
  }
  return prefixes;
}

}  // namespace

LanNetworks::LanNetworks() : prefixes_(parse_prefixes(kDefaultLan)) {}

LanNetworks LanNetworks::parse(std::string_view list) {
  LanNetworks lan;
  std::vector<IpPrefix> prefixes = parse_prefixes(list);
  if (!prefixes.empty()) lan.prefixes_ = std::move(prefixes);
  return lan;
}

bool LanNetworks::contains(const IpAddress& address) const {
  for (const IpPrefix& prefix : prefixes_)
    if (prefix.contains(address)) return true;
  return false;
}

bool LanNetworks::contains(std::string_view address_text) const {
  const std::optional<IpAddress> address = IpAddress::parse(address_text);
  return address && contains(*address);
}

}  // namespace botd
