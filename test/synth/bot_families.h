// bot_families.h — traffic models of the opt-in bot families (botd-synth --family): behaviours
// that the CTU-13-like bots of the default scenario do not show, for tests of behaviour
// features (not for evaluation against real data):
//   - a peer-to-peer bot's UDP exchanges with many peers on random high ports, many unanswered;
//   - a DGA bot's DNS storm (mostly NXDOMAIN, through several resolvers, one of them dead) and
//     its jittered HTTP beacon of near-identical size;
//   - a TLS beacon that sleeps 10-30 minutes between short HTTPS check-ins.
#pragma once

#include <string>
#include <vector>

#include "net_types.h"
#include "rng.h"
#include "world.h"

namespace synth {

struct P2pPlan {
  double contacts_per_hour = 400.0;  // peer contacts, fresh and known peers together
  double revisit_share = 0.12;       // of contacts: a peer that answered before (it answers again, mostly)
  double alive_share = 0.57;         // of fresh peers: online and answering
};

// From one fixed UDP port of its own, `host` contacts peers at random high UDP ports: a short
// encrypted-looking request answered by a peer-list reply (sometimes a second exchange), or,
// for a peer that is offline, the request and one retransmission without an answer.
void p2p_peer_traffic(World& world, Host& host, Rng& rng, const P2pPlan& plan, Micros from, Micros to);

struct DnsResolver {
  Ipv4 ip = 0;
  double weight = 1.0;  // relative share of the queries it gets
  bool answers = true;  // false: not a resolver at all; queries go unanswered
};

struct DgaDnsPlan {
  std::vector<DnsResolver> resolvers;  // the gateway counts as a LAN resolver; the others are remote
  std::string registered_name;         // the one generated name that resolves (to registered_ip)
  Ipv4 registered_ip = 0;
  int burst_min = 120, burst_max = 300;     // queries per burst, 8-40 ms apart
  double pause_min = 15.0, pause_max = 45.0;  // seconds between bursts
};

// A random-looking domain name as a domain generation algorithm makes them.
std::string dga_name(Rng& rng);

// Bursts of A queries for freshly generated names, each to a resolver drawn by weight: NXDOMAIN
// answers (with the TLD's SOA) except for the registered name, no answer from a dead resolver.
// Every burst also asks for the registered name. Returns when its first answer reached the host
// (-1 if none did before `to`).
Micros dga_dns_queries(World& world, Host& host, Rng& rng, const DgaDnsPlan& plan, Micros from, Micros to);

struct HttpBeaconPlan {
  std::string server_name;
  Ipv4 server_ip = 0;
  std::string path;    // e.g. "/pixel"
  std::string bot_id;  // fixed width, so that requests keep one size
  double period_seconds = 60.0;
  double jitter = 0.2;  // each gap is period * (1 ± jitter), uniform
};

// One short HTTP connection (GET, small reply of near-constant size, server closes) every period.
void http_beacon(World& world, Host& host, Rng& rng, const HttpBeaconPlan& plan, Micros from, Micros to);

struct TlsBeaconPlan {
  std::string server_name;
  Ipv4 server_ip = 0;
  double min_sleep_seconds = 600.0;
  double max_sleep_seconds = 1800.0;
};

// A DNS lookup, then one TLS connection to port 443 (handshake, a request, a reply of a few KB,
// close_notify), and a sleep drawn uniformly from [min_sleep, max_sleep] before the next one.
void tls_beacon(World& world, Host& host, Rng& rng, const TlsBeaconPlan& plan, Micros from, Micros to);

}  // namespace synth
