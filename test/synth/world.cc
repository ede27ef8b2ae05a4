// world.cc — hosts, gateway, remote-address properties.
#include "world.h"

#include <algorithm>

namespace synth {

void Host::init_ports(Rng& rng) {
  if (os == Os::kLinux) {
    port_low_ = 32768;
    port_high_ = 60999;
  } else {
    port_low_ = 49152;
    port_high_ = 65535;
  }
  next_port_ = static_cast<uint32_t>(rng.between(port_low_, port_high_));
  port_state_ = rng.next();
}

uint16_t Host::ephemeral_port() {
  uint32_t step = 1;
  if (os == Os::kLinux) step = 1 + static_cast<uint32_t>(splitmix64(port_state_) % 7);
  next_port_ += step;
  if (next_port_ > port_high_) next_port_ = port_low_ + (next_port_ - port_high_);
  return static_cast<uint16_t>(next_port_);
}

// Behaviours are kept in this order (unknown names go last, in insertion order).
void Host::add_behaviour(std::string_view name) {
  static const std::vector<std::string_view> kOrder = {"gateway", "dns-server", "dns",       "http",       "tls",
                                                       "ntp",     "arp",        "ssh",       "irc-cc",     "http-cc",
                                                       "smtp-spam", "syn-scan", "icmp-flood", "udp-flood",
                                                       "p2p-udp",   "dga-dns",  "http-beacon", "tls-beacon"};
  if (std::find(behaviours.begin(), behaviours.end(), name) != behaviours.end()) return;
  behaviours.emplace_back(name);
  auto rank = [](const std::string& b) {
    return static_cast<size_t>(std::find(kOrder.begin(), kOrder.end(), b) - kOrder.begin());
  };
  std::stable_sort(behaviours.begin(), behaviours.end(),
                   [&rank](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
}

World::World(uint64_t seed, Micros start, Micros end, double scale)
    : seed_(seed), start_(start), end_(end), scale_(scale), root_(seed), capture_(start, end, seed) {
  Rng gateway_rng = rng("gateway");
  gateway_.ip = kGatewayIp;
  gateway_.mac = random_mac(gateway_rng);
  gateway_.os = Os::kLinux;
  gateway_.lan_delay = 30;
  gateway_.behaviours = {"gateway", "dns-server", "arp"};
}

Peer World::remote(Ipv4 ip) const {
  const uint64_t h = mix64(seed_ ^ 0x5EED, ip);
  const uint32_t ttl_class = h % 100;
  const int initial_ttl = ttl_class < 55 ? 64 : ttl_class < 85 ? 128 : 255;
  const int hops = 6 + static_cast<int>((h >> 8) % 16);
  // RTT between 1 and 80 ms, skewed towards short paths.
  const double u = static_cast<double>((h >> 16) % 10000) / 10000.0;
  const double rtt_ms = 1.0 + 79.0 * u * u;
  Peer p;
  p.ip = ip;
  p.lan_mac = gateway_.mac;
  p.ttl = static_cast<uint8_t>(initial_ttl - hops);
  p.one_way_delay = from_millis(rtt_ms / 2.0);
  return p;
}

Host& World::add_host(Ipv4 ip, Os os, const MacAddr& mac) {
  Host h;
  h.ip = ip;
  h.os = os;
  h.mac = mac;
  Rng host_rng = rng(concat("host-ports-", ip_to_string(ip)));
  h.init_ports(host_rng);
  h.lan_delay = host_rng.between(25, 120);
  hosts_.push_back(h);
  return hosts_.back();
}

Ipv4 random_public_ip(Rng& rng) {
  // First octets of large, ordinary public allocations.
  static const std::vector<uint32_t> kFirstOctets = {
      2,  5,  23, 31, 37, 46, 50,  62,  64,  66,  67,  69,  70,  72,  74,  76,  77,  78,  79,  80,  81,  82,
      83, 84, 85, 86, 87, 88, 89,  90,  91,  92,  94,  95,  96,  97,  98,  99,  104, 107, 108, 109, 128, 130,
      131, 134, 137, 141, 151, 158, 162, 173, 176, 178, 185, 188, 193, 194, 195, 199, 200, 201, 209, 212, 213, 217};
  const uint32_t a = rng.pick(kFirstOctets);
  const uint32_t b = static_cast<uint32_t>(rng.between(0, 255));
  const uint32_t c = static_cast<uint32_t>(rng.between(0, 255));
  const uint32_t d = static_cast<uint32_t>(rng.between(1, 254));
  return make_ip(a, b, c, d);
}

MacAddr random_mac(Rng& rng) {
  static const std::vector<uint32_t> kOuis = {
      0x001422,  // Dell
      0x3c970e,  // Intel
      0x000c29,  // VMware
      0x001b21,  // Intel
      0xf0def1,  // Wistron
      0x6c626d,  // Micro-Star
      0x00219b,  // Dell
      0xb8aeed,  // Elitegroup
      0x001d09,  // Dell
      0x3497f6,  // ASUSTek
  };
  const uint32_t oui = rng.pick(kOuis);
  MacAddr mac;
  mac.bytes = {static_cast<uint8_t>(oui >> 16), static_cast<uint8_t>(oui >> 8), static_cast<uint8_t>(oui),
               static_cast<uint8_t>(rng.next()), static_cast<uint8_t>(rng.next()), static_cast<uint8_t>(rng.next())};
  return mac;
}

}  // namespace synth
