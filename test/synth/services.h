// services.h — building blocks shared by normal and bot behaviours: DNS lookups through the
// gateway's resolver, ARP exchanges, NTP polls, single UDP datagrams, and opening TCP
// sessions from a LAN host to a remote address.
#pragma once

#include <span>
#include <string_view>

#include "net_types.h"
#include "rng.h"
#include "tcp_session.h"
#include "world.h"

namespace synth {

// Sends one UDP datagram from `from` at world time t; returns its capture time.
Micros send_udp(World& world, const Peer& from, const Peer& to, uint16_t src_port, uint16_t dst_port,
                std::span<const uint8_t> payload, Micros t, Capture::RecordId* record = nullptr);

struct DnsAnswer {
  std::string_view canonical_name;    // empty: no CNAME
  std::span<const Ipv4> addresses;    // empty: no data
  uint32_t ttl = 300;
};

// Query (A, AAAA, MX ...) from `host` to the gateway resolver at world time t; the resolver
// answers after a cache-hit or recursive delay. Returns when the answer reaches the host.
Micros dns_lookup(World& world, Host& host, Rng& rng, Micros t, std::string_view name, uint16_t qtype,
                  const DnsAnswer& answer);
// A and (for Linux hosts) AAAA lookup of a name; returns when both answers are in.
Micros resolve_name(World& world, Host& host, Rng& rng, Micros t, std::string_view name, std::span<const Ipv4> addresses,
                    std::string_view canonical_name = {});

// `host` asks who-has the gateway (broadcast); the gateway replies.
void arp_for_gateway(World& world, Host& host, Rng& rng, Micros t);
// The gateway asks who-has `host`; the host replies.
void gateway_arp_for(World& world, Host& host, Rng& rng, Micros t);

// One NTP client poll of `server`, answered.
void ntp_poll(World& world, Host& host, Rng& rng, Micros t, Ipv4 server, uint8_t poll_exponent);

// A TCP session from `host` (next ephemeral port) to remote `server_ip:port`.
TcpSession open_session(World& world, Host& host, Rng& rng, Ipv4 server_ip, uint16_t port);

// User agent string for a host's OS.
std::string_view user_agent_for(const Host& host);

}  // namespace synth
