// scenario.cc — who is on the LAN and what each host does when (see scenario.h).
#include "scenario.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "bot_behaviour.h"
#include "bot_families.h"
#include "normal_behaviour.h"

namespace synth {
namespace {

constexpr Ipv4 kSshServer = make_ip(198, 51, 100, 22);

Host& add_lan_host(World& world, uint32_t last_octet, Os os) {
  Rng mac_rng = world.rng(concat("mac-", std::to_string(last_octet)));
  return world.add_host(kLanNetwork | last_octet, os, random_mac(mac_rng));
}

// A time `fraction` of the way through the capture, on a whole minute when the capture is
// long enough for that to matter (whole seconds otherwise).
Micros point_in_capture(const World& world, double fraction) {
  const Micros length = world.end() - world.start();
  const Micros unit = length >= 20 * kMinute ? kMinute : kSecond;
  const Micros offset = static_cast<Micros>(std::llround(fraction * static_cast<double>(length) / static_cast<double>(unit))) * unit;
  return world.start() + std::clamp<Micros>(offset, 0, length - unit);
}

// `seconds`, or less in short captures (at most a tenth of the capture).
double early_limit(const World& world, double seconds) {
  return std::min(seconds, 0.1 * static_cast<double>(world.end() - world.start()) / kSecond);
}

Micros seconds_in(Rng& rng, double lo, double hi) { return from_seconds(std::floor(rng.uniform(lo, hi))); }

void mark_bot(Host& host, std::string_view family, Micros infected_at) {
  host.is_bot = true;
  host.family = family;
  host.infected_at = infected_at;
}

void add_normal_hosts(World& world) {
  const Os kOperatingSystems[] = {Os::kLinux, Os::kWindows, Os::kLinux,   Os::kWindows,
                                  Os::kWindows, Os::kLinux, Os::kWindows, Os::kWindows};
  for (uint32_t i = 0; i < 8; ++i) {
    Host& host = add_lan_host(world, 10 + i, kOperatingSystems[i]);
    simulate_normal_user(world, host, world.start(), world.end());
    simulate_arp(world, host, world.start(), world.end());
    if (10 + i == 12) simulate_ssh_session(world, host, kSshServer, world.start(), world.end());
  }
}

// Neris-like: IRC C&C plus SMTP spam bursts every 8-12 minutes.
void add_neris_bot(World& world, Rng& rng) {
  Host& host = add_lan_host(world, 66, Os::kWindowsXp);
  const Micros infected = world.start() + seconds_in(rng, 0, early_limit(world, 60));
  mark_bot(host, "neris-like", infected);
  simulate_arp(world, host, world.start(), world.end());

  IrcPlan plan{"irc.lfjq-srv.biz", make_ip(203, 0, 113, 66), 6667, concat("[N]USA|XP|", std::to_string(rng.between(1000, 9999))),
               "#n3r", "m4il", "!mail.update http://203.0.113.70/tpl/list.txt", {}};
  Rng spam_rng = world.rng("spam-66");
  for (Micros burst = infected + seconds_in(rng, 120, 300); burst < world.end();
       burst += seconds_in(rng, 8 * 60, 12 * 60)) {
    const int attempts = static_cast<int>(std::lround(rng.uniform(150, 400) * world.scale()));
    const Micros span = seconds_in(rng, 60, 120);
    plan.commands.push_back({burst - seconds_in(rng, 2, 8), concat("!spam.start ", std::to_string(attempts), " tpl") +
                             std::to_string(rng.between(1, 40)), "[spam] queue loaded, sending"});
    smtp_spam_burst(world, host, spam_rng, burst, attempts, span);
  }
  run_irc_bot(world, host, plan, infected, world.end());
}

// Rbot-like: IRC C&C ordering an ICMP echo flood and later a UDP flood.
void add_rbot(World& world, Rng& rng) {
  Host& host = add_lan_host(world, 67, Os::kWindowsXp);
  const Micros infected = world.start() + seconds_in(rng, early_limit(world, 30), early_limit(world, 120));
  mark_bot(host, "rbot-like", infected);
  simulate_arp(world, host, world.start(), world.end());

  IrcPlan plan{"x.rbn-irc.info", make_ip(203, 0, 113, 167), 6667, concat("rb0t-", std::to_string(rng.between(10000, 99999))),
               "#rb0t", "ddos", ".login r00t", {}};
  Rng flood_rng = world.rng("flood-67");
  const Ipv4 icmp_target = make_ip(198, 51, 100, static_cast<uint32_t>(rng.between(150, 199)));
  const Micros icmp_start = std::max(point_in_capture(world, rng.uniform(0.30, 0.40)), infected + kMinute);
  const Micros icmp_length = seconds_in(rng, 150, 240);
  const std::string icmp_target_text = ip_to_string(icmp_target);
  plan.commands.push_back({icmp_start - seconds_in(rng, 1, 4),
                           ".ddos.ping " + icmp_target_text + " " + std::to_string(icmp_length / kSecond) + " 0",
                           "[DDoS]: Flooding: (" + icmp_target_text + ") for " +
                               std::to_string(icmp_length / kSecond) + " seconds."});
  icmp_flood(world, host, flood_rng, icmp_target, icmp_start, icmp_length, 300.0 * world.scale());

  const Ipv4 udp_target = make_ip(198, 51, 100, static_cast<uint32_t>(rng.between(200, 250)));
  const Micros udp_start = std::max(point_in_capture(world, rng.uniform(0.65, 0.75)), icmp_start + icmp_length);
  const Micros udp_length = seconds_in(rng, 90, 150);
  const std::string udp_target_text = ip_to_string(udp_target);
  plan.commands.push_back({udp_start - seconds_in(rng, 1, 4),
                           ".ddos.udp " + udp_target_text + " " + std::to_string(udp_length / kSecond) + " 0",
                           "[UDP]: Sending packets to: " + udp_target_text + "."});
  udp_flood(world, host, flood_rng, udp_target, udp_start, udp_length, 150.0 * world.scale());
  plan.commands.push_back({udp_start + udp_length + seconds_in(rng, 30, 90), ".sysinfo",
                           "[SYSINFO]: [CPU]: 2394MHz. [RAM]: 523760KB total, 201312KB free. [OS]: Windows XP (5.1, Build 2600)."});
  std::sort(plan.commands.begin(), plan.commands.end(), [](const IrcCommand& a, const IrcCommand& b) { return a.at < b.at; });
  run_irc_bot(world, host, plan, infected, world.end());
}

// Donbot/Sogou-like: a user's machine infected mid-capture; HTTP C&C beacons and SYN scans.
void add_http_cc_bot(World& world, Rng& rng) {
  Host& host = add_lan_host(world, 68, Os::kWindows);
  const Micros infected = point_in_capture(world, rng.uniform(10.0 / 70.0, 25.0 / 70.0));
  mark_bot(host, "donbot-sogou-like", infected);
  simulate_normal_user(world, host, world.start(), world.end());
  simulate_arp(world, host, world.start(), world.end());

  HttpCcPlan plan{"img.kbs-static.com", make_ip(203, 0, 113, 88), "/images/check.php",
                  std::to_string(rng.between(100000000, 999999999)), {}};
  Rng scan_rng = world.rng("scan-68");
  const int scans = std::max(1, static_cast<int>(std::lround(2.0 * world.scale())));
  const Micros first_scan = infected + seconds_in(rng, 180, 480);
  const Micros spacing = std::max<Micros>(kMinute, (world.end() - first_scan) / scans);
  for (int i = 0; i < scans; ++i) {
    const Micros at = first_scan + i * spacing + seconds_in(rng, 0, 60);
    if (at >= world.end()) break;
    plan.task_times.push_back(at);
    if (i % 2 == 0)
      syn_scan_subnet(world, host, scan_rng, at, random_public_ip(scan_rng), 445, rng.uniform(20.0, 40.0));
    else
      syn_scan_ports(world, host, scan_rng, at, random_public_ip(scan_rng), rng.uniform(40.0, 80.0));
  }
  http_cc_beacons(world, host, plan, infected, world.end());
}

// A quiet IRC bot on a machine whose user keeps browsing (its DNS looks normal).
void add_quiet_irc_bot(World& world, Rng& rng) {
  Host& host = add_lan_host(world, 69, Os::kWindows);
  const Micros infected = point_in_capture(world, rng.uniform(10.0 / 70.0, 25.0 / 70.0));
  mark_bot(host, "irc-quiet", infected);
  simulate_normal_user(world, host, world.start(), world.end());
  simulate_arp(world, host, world.start(), world.end());

  std::string nick = "|";
  nick += std::to_string(rng.between(100, 999));
  nick += "|w7|";
  nick += std::to_string(rng.between(1000, 9999));
  IrcPlan plan{"chat.qwe-update.org", make_ip(203, 0, 113, 199), 6667, nick, "#upd", "x9", ".login x9", {}};
  static const std::vector<std::pair<std::string, std::string>> kCommands = {
      {".sysinfo", "[SYSINFO]: [CPU]: 3192MHz. [RAM]: 8388608KB total. [OS]: Windows 7 (6.1, Build 7601)."},
      {".uptime", "[MAIN]: Uptime: 0d 2h 13m."},
      {".ident", ""},
      {".status", "[MAIN]: Status: Ready. Bot Uptime: 0d 0h 41m."}};
  for (Micros t = infected + seconds_in(rng, 300, 900); t < world.end(); t += seconds_in(rng, 600, 1200)) {
    const auto& [text, reply] = rng.pick(kCommands);
    plan.commands.push_back({t, text, reply});
  }
  run_irc_bot(world, host, plan, infected, world.end());
}

// ------------------------------------------------------------------ opt-in families

// Peer-to-peer bot (ZeroAccess/Sality-like) on a machine whose user browses: UDP from one
// port of its own to hundreds of peers an hour at random high ports; over 40% of them are
// offline, and about 40% of its peer flows get no answer.
void add_p2p_bot(World& world, Rng& rng) {
  Host& host = add_lan_host(world, 70, Os::kWindows);
  const Micros infected = world.start() + seconds_in(rng, 0, early_limit(world, 60));
  mark_bot(host, "p2p", infected);
  simulate_normal_user(world, host, world.start(), world.end());
  simulate_arp(world, host, world.start(), world.end());
  Rng peer_rng = rng.fork("peers");
  p2p_peer_traffic(world, host, peer_rng, {400.0 * world.scale(), 0.12, 0.57}, infected, world.end());
}

// DGA bot: thousands of A queries per 10 minutes for generated names (mostly NXDOMAIN) to the
// gateway and public resolvers, one of which is no resolver at all; once its C&C name has
// resolved, an HTTP beacon every 60 s +-20% with requests and replies of near-constant size.
void add_dns_beacon_bot(World& world, Rng& rng) {
  Host& host = add_lan_host(world, 71, Os::kWindows);
  const Micros infected = world.start() + seconds_in(rng, 0, early_limit(world, 90));
  mark_bot(host, "dns-beacon", infected);
  simulate_arp(world, host, world.start(), world.end());

  DgaDnsPlan plan;
  plan.resolvers = {{kGatewayIp, 0.45, true},
                    {make_ip(8, 8, 8, 8), 0.20, true},
                    {make_ip(1, 1, 1, 1), 0.15, true},
                    {make_ip(9, 9, 9, 9), 0.10, true},
                    {random_public_ip(rng), 0.10, false}};
  plan.registered_name = dga_name(rng);
  plan.registered_ip = make_ip(203, 0, 113, 90);
  plan.burst_min = std::max(1, static_cast<int>(std::lround(120 * world.scale())));
  plan.burst_max = std::max(1, static_cast<int>(std::lround(300 * world.scale())));
  Rng dns_rng = rng.fork("dga");
  const Micros found = dga_dns_queries(world, host, dns_rng, plan, infected, world.end());

  const HttpBeaconPlan beacon{plan.registered_name, plan.registered_ip, "/pixel", std::to_string(rng.between(100000000, 999999999)),
                              60.0, 0.2};
  Rng beacon_rng = rng.fork("beacon");
  if (found >= 0) http_beacon(world, host, beacon_rng, beacon, found + seconds_in(rng, 1, 5), world.end());
}

// Quiet HTTPS beacon: a lookup and one short TLS connection every 10-30 minutes, ARP otherwise.
void add_https_beacon_bot(World& world, Rng& rng) {
  Host& host = add_lan_host(world, 72, Os::kWindows);
  const Micros infected = world.start() + seconds_in(rng, 0, early_limit(world, 120));
  mark_bot(host, "https-beacon", infected);
  simulate_arp(world, host, world.start(), world.end());
  Rng beacon_rng = rng.fork("beacon");
  tls_beacon(world, host, beacon_rng, {"telemetry.cdn-upd-srv.net", make_ip(203, 0, 113, 140), 600.0, 1800.0},
             infected + seconds_in(rng, 5, 60), world.end());
}

}  // namespace

void build_scenario(World& world) {
  Rng rng = world.rng("scenario");
  add_normal_hosts(world);
  add_neris_bot(world, rng);
  add_rbot(world, rng);
  add_http_cc_bot(world, rng);
  add_quiet_irc_bot(world, rng);
}

const std::vector<std::string_view>& family_names() {
  static const std::vector<std::string_view> kNames = {"p2p", "dns-beacon", "https-beacon"};
  return kNames;
}

void add_families(World& world, const std::vector<std::string>& families) {
  for (const std::string& name : families)
    if (std::find(family_names().begin(), family_names().end(), name) == family_names().end())
      throw std::invalid_argument(concat("unknown family '", name, "' (p2p, dns-beacon, https-beacon)"));
  auto wanted = [&families](std::string_view name) {
    return std::find(families.begin(), families.end(), name) != families.end();
  };
  // A stream of its own per family: nothing else in the capture draws from it.
  if (wanted("p2p")) {
    Rng rng = world.rng("family-p2p");
    add_p2p_bot(world, rng);
  }
  if (wanted("dns-beacon")) {
    Rng rng = world.rng("family-dns-beacon");
    add_dns_beacon_bot(world, rng);
  }
  if (wanted("https-beacon")) {
    Rng rng = world.rng("family-https-beacon");
    add_https_beacon_bot(world, rng);
  }
}

}  // namespace synth
