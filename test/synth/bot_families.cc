// bot_families.cc — traffic models of the opt-in bot families (see bot_families.h).
#include "bot_families.h"

#include <algorithm>

#include "bot_behaviour.h"
#include "packet_builder.h"
#include "payloads.h"
#include "services.h"
#include "tcp_session.h"

namespace synth {
namespace {

// A port for peer-to-peer UDP: high, and not one that tshark would decode as some protocol.
uint16_t random_p2p_port(Rng& rng) {
  uint16_t port;
  do port = static_cast<uint16_t>(rng.between(10000, 65535));
  while (has_wireshark_dissector(port));
  return port;
}

uint16_t dns_client_port(const Host& host, Rng& rng) {
  return host.os == Os::kLinux ? static_cast<uint16_t>(rng.between(32768, 60999))
                               : static_cast<uint16_t>(rng.between(49152, 65535));
}

std::string hex_token(Rng& rng, size_t length) {
  static const std::string_view kDigits = "0123456789abcdef";
  std::string token;
  for (size_t i = 0; i < length; ++i) token += kDigits[rng.below(kDigits.size())];
  return token;
}

std::string base64_token(Rng& rng, size_t length) {
  static const std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string token;
  for (size_t i = 0; i < length; ++i) token += kAlphabet[rng.below(kAlphabet.size())];
  return token;
}

// An encrypted-looking peer-to-peer message: a version byte and a message type, then random
// bytes. The fixed first byte (top two bits set) keeps tshark's heuristic dissectors (RTCP,
// STUN, uTP, DTLS, Pathport...) from taking the random bytes for theirs.
enum class P2pMessage : uint8_t { kGetPeers = 1, kPeerList = 2, kHello = 3, kHelloReply = 4 };

Bytes p2p_message(Rng& rng, P2pMessage type, size_t size) {
  Bytes message = random_bytes(rng, size);
  message[0] = 0xe7;
  message[1] = static_cast<uint8_t>(type);
  return message;
}

// One exchange with a peer: request, then the peer's reply and sometimes a second round; an
// offline peer gets the request twice and answers nothing.
void p2p_exchange(World& world, const Peer& bot, Rng& rng, Micros t, uint16_t local_port, Ipv4 peer_ip,
                  uint16_t peer_port, bool answers) {
  const Peer peer = world.remote(peer_ip);
  const Bytes request = p2p_message(rng, P2pMessage::kGetPeers, static_cast<size_t>(rng.between(20, 48)));
  const Micros request_captured = send_udp(world, bot, peer, local_port, peer_port, request, t);
  if (!answers) {
    send_udp(world, bot, peer, local_port, peer_port, request, t + from_seconds(rng.uniform(2.0, 4.0)));
    return;
  }
  // The reply carries part of the peer's list (encrypted: 8-byte records and some overhead).
  const Micros reply_sent = request_captured + peer.one_way_delay + from_millis(rng.uniform(1.0, 150.0));
  const size_t listed_peers = static_cast<size_t>(rng.between(8, 80));
  const Micros reply_captured =
      send_udp(world, peer, bot, peer_port, local_port, p2p_message(rng, P2pMessage::kPeerList, 24 + 8 * listed_peers), reply_sent);
  if (!rng.chance(0.35)) return;
  const Micros follow_up = reply_captured + bot.one_way_delay + from_millis(rng.uniform(5.0, 400.0));
  const Micros follow_up_captured = send_udp(world, bot, peer, local_port, peer_port,
                                             p2p_message(rng, P2pMessage::kHello, static_cast<size_t>(rng.between(16, 40))), follow_up);
  send_udp(world, peer, bot, peer_port, local_port, p2p_message(rng, P2pMessage::kHelloReply, static_cast<size_t>(rng.between(16, 64))),
           follow_up_captured + peer.one_way_delay + from_millis(rng.uniform(1.0, 80.0)));
}

// One A query for `name` to `resolver` at world time t. Returns when the answer reached the
// host, or -1 when the resolver does not answer.
Micros dga_query(World& world, Host& host, Rng& rng, Micros t, const DnsResolver& resolver, const std::string& name,
                 const DgaDnsPlan& plan) {
  const Peer client = host.peer();
  const Peer server = resolver.ip == kGatewayIp ? world.gateway_peer() : world.remote(resolver.ip);
  const uint16_t txid = rng.next16();
  const uint16_t port = dns_client_port(host, rng);
  const Micros query_captured = send_udp(world, client, server, port, 53, dns_query(txid, name, dns_type::kA), t);
  if (!resolver.answers) return -1;
  const bool registered = name == plan.registered_name;
  // A fresh name is in no cache: the resolver asks the TLD's servers; the registered name is
  // cached after its first lookup most of the time.
  const Micros resolve_time =
      registered && rng.chance(0.7) ? rng.between(80, 900) : from_millis(rng.uniform(8.0, 90.0));
  const Micros reply_sent = query_captured + server.one_way_delay + resolve_time;
  const Ipv4 address = plan.registered_ip;
  const Bytes reply =
      registered ? dns_response(txid, name, dns_type::kA, {}, {&address, 1}, static_cast<uint32_t>(rng.between(60, 300)))
                 : dns_nxdomain_response(txid, name, dns_type::kA, static_cast<uint32_t>(floor_seconds(t) / 900 * 900));
  return send_udp(world, server, client, 53, port, reply, reply_sent) + client.one_way_delay;
}

const DnsResolver& pick_resolver(Rng& rng, const std::vector<DnsResolver>& resolvers) {
  double total = 0.0;
  for (const DnsResolver& r : resolvers) total += r.weight;
  double roll = rng.uniform(0.0, total);
  for (const DnsResolver& r : resolvers) {
    if (roll < r.weight) return r;
    roll -= r.weight;
  }
  return resolvers.back();
}

}  // namespace

void p2p_peer_traffic(World& world, Host& host, Rng& rng, const P2pPlan& plan, Micros from, Micros to) {
  if (from >= to) return;
  struct KnownPeer {
    Ipv4 ip;
    uint16_t port;
  };
  const Peer bot = host.peer();
  const uint16_t local_port = random_p2p_port(rng);
  std::vector<KnownPeer> answered;
  const double mean_gap_seconds = 3600.0 / std::max(plan.contacts_per_hour, 1.0);
  for (Micros t = from + from_seconds(rng.uniform(0.5, 5.0)); t < to;
       t += std::max<Micros>(200 * kMillisecond, from_seconds(rng.exponential(mean_gap_seconds)))) {
    if (!answered.empty() && rng.chance(plan.revisit_share)) {
      const KnownPeer peer = rng.pick(answered);
      p2p_exchange(world, bot, rng, t, local_port, peer.ip, peer.port, rng.chance(0.95));
      continue;
    }
    Ipv4 ip;
    do ip = random_public_ip(rng);
    while (std::any_of(answered.begin(), answered.end(), [ip](const KnownPeer& p) { return p.ip == ip; }));
    const uint16_t port = random_p2p_port(rng);
    const bool answers = rng.chance(plan.alive_share);
    if (answers) answered.push_back({ip, port});
    p2p_exchange(world, bot, rng, t, local_port, ip, port, answers);
  }
  host.add_behaviour("p2p-udp");
}

std::string dga_name(Rng& rng) {
  static const std::vector<std::string_view> kTlds = {"com", "net", "org", "info", "biz", "ru"};
  static const std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
  std::string name;
  const int64_t length = rng.between(10, 18);
  for (int64_t i = 0; i < length; ++i) name += kLetters[rng.below(kLetters.size())];
  name += '.';
  name += rng.pick(kTlds);
  return name;
}

Micros dga_dns_queries(World& world, Host& host, Rng& rng, const DgaDnsPlan& plan, Micros from, Micros to) {
  if (from >= to || plan.resolvers.empty()) return -1;
  Micros found = -1;
  Micros t = from;
  while (t < to) {
    const int64_t burst = rng.between(plan.burst_min, std::max(plan.burst_min, plan.burst_max));
    const int64_t registered_at = plan.registered_name.empty() ? -1 : rng.below(static_cast<uint64_t>(burst));
    for (int64_t i = 0; i < burst && t < to; ++i) {
      const std::string name = i == registered_at ? plan.registered_name : dga_name(rng);
      const Micros answered = dga_query(world, host, rng, t, pick_resolver(rng, plan.resolvers), name, plan);
      if (i == registered_at && answered >= 0 && found < 0) found = answered;
      t += from_millis(rng.uniform(8.0, 40.0));
    }
    t += from_seconds(rng.uniform(plan.pause_min, plan.pause_max));
  }
  host.add_behaviour("dns");
  host.add_behaviour("dga-dns");
  return found < to ? found : -1;
}

void http_beacon(World& world, Host& host, Rng& rng, const HttpBeaconPlan& plan, Micros from, Micros to) {
  if (from < 0 || from >= to) return;
  for (Micros t = from; t < to; t += from_seconds(plan.period_seconds * (1.0 + rng.uniform(-plan.jitter, plan.jitter)))) {
    TcpSession session = open_session(world, host, rng, plan.server_ip, 80);
    const Micros connected = session.connect(t);
    // Fixed-width fields: every request has the same size.
    const std::string path = concat(plan.path, "?u=", plan.bot_id, "&c=", hex_token(rng, 8));
    const Micros at_server = session.send(Side::kClient, connected + rng.between(200, 2000),
                                          http_get(plan.server_name, path, user_agent_for(host), false));
    const Bytes body = to_bytes(concat("ok:", base64_token(rng, static_cast<size_t>(rng.between(40, 44))), "\n"));
    const Micros reply_time = at_server + from_millis(rng.uniform(15.0, 80.0));
    session.send(Side::kServer, reply_time, http_response("nginx", "text/plain", body, false));
    session.close(Side::kServer, reply_time + rng.between(100, 1500));
  }
  host.add_behaviour("http-beacon");
}

void tls_beacon(World& world, Host& host, Rng& rng, const TlsBeaconPlan& plan, Micros from, Micros to) {
  if (from >= to) return;
  const Ipv4 server_ip = plan.server_ip;
  for (Micros t = from; t < to; t += from_seconds(rng.uniform(plan.min_sleep_seconds, plan.max_sleep_seconds))) {
    const Micros resolved = resolve_name(world, host, rng, t, plan.server_name, {&server_ip, 1});
    TcpSession session = open_session(world, host, rng, plan.server_ip, 443);
    Micros now = session.connect(resolved + rng.between(1000, 20000));
    now += rng.between(20, 300);
    Micros at_server = session.send(Side::kClient, now, tls_client_hello(rng, plan.server_name));
    const Bytes server_flight = tls_server_first_flight(rng, static_cast<size_t>(rng.between(2400, 3400)));
    now = session.send(Side::kServer, at_server + rng.between(300, 4000), server_flight);
    now += rng.between(500, 3000);  // certificate verification
    Bytes request = tls_client_finished(rng);
    const Bytes records = tls_application_data(rng, static_cast<size_t>(rng.between(350, 700)));
    request.insert(request.end(), records.begin(), records.end());
    at_server = session.send(Side::kClient, now, request);
    now = session.send(Side::kServer, at_server + from_millis(rng.uniform(20.0, 200.0)),
                       tls_application_data(rng, static_cast<size_t>(rng.between(500, 2500))));
    const Micros idle = now + from_millis(rng.uniform(50.0, 1500.0));
    session.send(Side::kClient, idle, tls_application_data(rng, 2));  // close_notify alert
    session.close(Side::kClient, idle + rng.between(20, 200));
  }
  host.add_behaviour("dns");
  host.add_behaviour("tls-beacon");
}

}  // namespace synth
