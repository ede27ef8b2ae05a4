// world.h — the simulated network: LAN hosts (with MACs, OS flavour, ephemeral ports),
// the gateway, and per-address properties of remote hosts (TTL as seen on the LAN, latency).
#pragma once

#include <string>
#include <string_view>
#include <deque>
#include <vector>

#include "capture.h"
#include "net_types.h"
#include "packet_builder.h"
#include "rng.h"

namespace synth {

enum class Os { kLinux, kWindows, kWindowsXp };

// One end of a conversation as seen from the capture point on the LAN.
struct Peer {
  Ipv4 ip = 0;
  MacAddr lan_mac;            // Ethernet source of its frames on the LAN (the gateway's for remote hosts)
  uint8_t ttl = 64;           // TTL of its packets when they pass the capture point
  Micros one_way_delay = 0;   // between it and the capture point
};

// Link/IP header for a packet from `from` to `to`.
inline Ipv4Header ip_header(const Peer& from, const Peer& to, bool dont_fragment) {
  Ipv4Header h;
  h.src_mac = from.lan_mac;
  h.dst_mac = to.lan_mac;
  h.src_ip = from.ip;
  h.dst_ip = to.ip;
  h.ttl = from.ttl;
  h.dont_fragment = dont_fragment;
  return h;
}

struct Host {
  Ipv4 ip = 0;
  MacAddr mac;
  Os os = Os::kLinux;
  Micros lan_delay = 50;  // switch + NIC latency to the capture point
  bool is_bot = false;
  std::string family;                    // bots: e.g. "neris-like"
  std::vector<std::string> behaviours;   // e.g. "dns", "http", "irc-cc"
  Micros infected_at = -1;               // bots: start of malicious activity

  Peer peer() const { return {ip, mac, static_cast<uint8_t>(os == Os::kLinux ? 64 : 128), lan_delay}; }
  // Next ephemeral source port (Windows: sequential; Linux: small random steps).
  uint16_t ephemeral_port();
  // Sets the ephemeral port range for the OS and a random starting point.
  void init_ports(Rng& rng);
  void add_behaviour(std::string_view name);

 private:
  uint32_t port_low_ = 49152;
  uint32_t port_high_ = 65535;
  uint32_t next_port_ = 49152;
  uint64_t port_state_ = 0;
};

class World {
 public:
  World(uint64_t seed, Micros start, Micros end, double scale);

  uint64_t seed() const { return seed_; }
  Micros start() const { return start_; }
  Micros end() const { return end_; }
  double scale() const { return scale_; }
  Capture& capture() { return capture_; }
  const Capture& capture() const { return capture_; }

  Host& gateway() { return gateway_; }
  Peer gateway_peer() const { return {gateway_.ip, gateway_.mac, 64, gateway_.lan_delay}; }
  // A remote (Internet) host: frames come through the gateway's MAC; TTL and latency are a
  // fixed function of the address and the seed.
  Peer remote(Ipv4 ip) const;

  Host& add_host(Ipv4 ip, Os os, const MacAddr& mac);
  std::deque<Host>& hosts() { return hosts_; }
  const std::deque<Host>& hosts() const { return hosts_; }

  // Independent random stream for one component (stable across code changes elsewhere).
  Rng rng(std::string_view label) const { return root_.fork(label); }

 private:
  uint64_t seed_;
  Micros start_;
  Micros end_;
  double scale_;
  Rng root_;
  Capture capture_;
  Host gateway_;
  std::deque<Host> hosts_;  // deque: references stay valid as hosts are added
};

constexpr Ipv4 kLanNetwork = make_ip(192, 168, 1, 0);
constexpr Ipv4 kGatewayIp = make_ip(192, 168, 1, 1);

// A random public-looking unicast address (real allocated /8s, no private/reserved space).
Ipv4 random_public_ip(Rng& rng);
// A plausible vendor MAC (real OUI prefixes) with random lower bytes.
MacAddr random_mac(Rng& rng);

}  // namespace synth
