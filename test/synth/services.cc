// services.cc — DNS, ARP, NTP, UDP and TCP-session helpers (see services.h).
#include "services.h"

#include "packet_builder.h"
#include "payloads.h"

namespace synth {

Micros send_udp(World& world, const Peer& from, const Peer& to, uint16_t src_port, uint16_t dst_port,
                std::span<const uint8_t> payload, Micros t, Capture::RecordId* record) {
  const Micros captured = t + from.one_way_delay;
  const Capture::RecordId id =
      world.capture().add(captured, udp_frame(ip_header(from, to, false), src_port, dst_port, payload));
  if (record) *record = id;
  return captured;
}

Micros dns_lookup(World& world, Host& host, Rng& rng, Micros t, std::string_view name, uint16_t qtype,
                  const DnsAnswer& answer) {
  const Peer client = host.peer();
  const Peer resolver = world.gateway_peer();
  const uint16_t txid = rng.next16();
  const uint16_t port = host.os == Os::kLinux ? static_cast<uint16_t>(rng.between(32768, 60999))
                                              : static_cast<uint16_t>(rng.between(49152, 65535));
  const Micros query_captured = send_udp(world, client, resolver, port, 53, dns_query(txid, name, qtype), t);
  // Cache hit: well under a millisecond; otherwise a recursive lookup upstream.
  const Micros resolve_time = rng.chance(0.6) ? rng.between(80, 900) : from_millis(rng.uniform(4.0, 70.0));
  const Micros reply_time = query_captured + resolver.one_way_delay + resolve_time;
  const Micros reply_captured = send_udp(
      world, resolver, client, 53, port,
      dns_response(txid, name, qtype, answer.canonical_name, answer.addresses, answer.ttl), reply_time);
  return reply_captured + client.one_way_delay;
}

Micros resolve_name(World& world, Host& host, Rng& rng, Micros t, std::string_view name, std::span<const Ipv4> addresses,
                    std::string_view canonical_name) {
  DnsAnswer answer{canonical_name, addresses, static_cast<uint32_t>(rng.between(30, 3600))};
  Micros done = dns_lookup(world, host, rng, t, name, dns_type::kA, answer);
  if (host.os == Os::kLinux) {
    DnsAnswer no_ipv6{canonical_name, {}, answer.ttl};
    done = std::max(done, dns_lookup(world, host, rng, t + rng.between(40, 400), name, dns_type::kAaaa, no_ipv6));
  }
  return done;
}

void arp_for_gateway(World& world, Host& host, Rng& rng, Micros t) {
  Host& gw = world.gateway();
  const Micros request_captured = t + host.lan_delay;
  world.capture().add(request_captured,
                      arp_frame(host.mac, kBroadcastMac, arp_op::kRequest, host.mac, host.ip, kZeroMac, gw.ip));
  const Micros reply_captured = request_captured + 2 * gw.lan_delay + rng.between(20, 300);
  world.capture().add(reply_captured, arp_frame(gw.mac, host.mac, arp_op::kReply, gw.mac, gw.ip, host.mac, host.ip));
}

void gateway_arp_for(World& world, Host& host, Rng& rng, Micros t) {
  Host& gw = world.gateway();
  const Micros request_captured = t + gw.lan_delay;
  world.capture().add(request_captured,
                      arp_frame(gw.mac, kBroadcastMac, arp_op::kRequest, gw.mac, gw.ip, kZeroMac, host.ip));
  const Micros reply_captured = request_captured + 2 * host.lan_delay + rng.between(20, 300);
  world.capture().add(reply_captured, arp_frame(host.mac, gw.mac, arp_op::kReply, host.mac, host.ip, gw.mac, gw.ip));
}

void ntp_poll(World& world, Host& host, Rng& rng, Micros t, Ipv4 server, uint8_t poll_exponent) {
  const Peer client = host.peer();
  const Peer ntp_server = world.remote(server);
  const uint16_t port = host.os == Os::kLinux ? static_cast<uint16_t>(rng.between(32768, 60999)) : 123;
  const Bytes request = ntp_client_request(t, poll_exponent);
  const Micros request_captured = send_udp(world, client, ntp_server, port, 123, request, t);
  const Micros server_receive = request_captured + ntp_server.one_way_delay;
  const Micros server_transmit = server_receive + rng.between(10, 120);
  send_udp(world, ntp_server, client, 123, port,
           ntp_server_reply(request, server_receive, server_transmit, make_ip(10, 32, 4, 1) + static_cast<Ipv4>(server % 7)),
           server_transmit);
}

TcpSession open_session(World& world, Host& host, Rng& rng, Ipv4 server_ip, uint16_t port) {
  Rng server_rng(mix64(world.seed(), server_ip));
  const TcpEndpoint client{host.peer(), host.ephemeral_port(), stack_for(host.os)};
  const TcpEndpoint server{world.remote(server_ip), port, random_server_stack(server_rng)};
  return TcpSession(world.capture(), rng, client, server);
}

std::string_view user_agent_for(const Host& host) {
  switch (host.os) {
    case Os::kLinux:
      return "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0";
    case Os::kWindows:
      return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 "
             "Safari/537.36";
    case Os::kWindowsXp:
      return "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 5.1; .NET CLR 2.0.50727)";
  }
  return "Mozilla/5.0";
}

}  // namespace synth
