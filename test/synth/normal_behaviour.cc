// normal_behaviour.cc — benign traffic models (see normal_behaviour.h).
#include "normal_behaviour.h"

#include <algorithm>
#include <string>
#include <vector>

#include "payloads.h"
#include "services.h"
#include "tcp_session.h"

namespace synth {
namespace {

struct Website {
  std::string_view name;
  Ipv4 ip;
  bool https;
  std::string_view server_software;
  std::string_view static_name;        // host serving page resources
  std::string_view static_canonical;   // its CNAME target (CDN)
  Ipv4 static_ip;
};

const std::vector<Website>& websites() {
  static const std::vector<Website> kSites = {
      {"www.example.com", make_ip(93, 184, 216, 34), false, "ECS (dcb/7F84)", "static.example.com",
       "example.edgecdn.net", make_ip(93, 184, 216, 40)},
      {"www.example.org", make_ip(93, 184, 215, 14), true, "nginx", "cdn.example.org", "example-org.cdn77.net",
       make_ip(185, 59, 220, 18)},
      {"news.example.net", make_ip(203, 0, 113, 10), true, "nginx/1.24.0", "img.example.net", "img-example.akamaized.net",
       make_ip(23, 52, 166, 91)},
      {"weather.example.net", make_ip(203, 0, 113, 11), false, "Apache/2.4.58", "static.weather.example.net", "",
       make_ip(203, 0, 113, 12)},
      {"shop.example.com", make_ip(198, 51, 100, 30), true, "cloudflare", "assets.shop.example.com", "",
       make_ip(198, 51, 100, 31)},
      {"mail.example.org", make_ip(198, 51, 100, 40), true, "nginx", "", "", 0},
      {"wiki.example.edu", make_ip(192, 0, 2, 80), true, "Apache", "upload.wiki.example.edu", "", make_ip(192, 0, 2, 81)},
      {"video.example.tv", make_ip(104, 16, 85, 20), true, "cloudflare", "media.example.tv", "media-example.b-cdn.net",
       make_ip(104, 16, 85, 21)},
      {"forum.example.info", make_ip(151, 101, 1, 69), false, "Varnish", "", "", 0},
      {"docs.example.dev", make_ip(185, 199, 108, 153), true, "GitHub.com", "", "", 0},
      {"portal.example.co", make_ip(91, 198, 174, 192), true, "ATS/9.2.3", "static.example.co", "",
       make_ip(91, 198, 174, 208)},
      {"intranet-updates.example.com", make_ip(93, 184, 216, 50), false, "Microsoft-IIS/10.0", "", "", 0},
  };
  return kSites;
}

const std::vector<Ipv4>& ntp_servers() {
  static const std::vector<Ipv4> kServers = {make_ip(162, 159, 200, 1), make_ip(162, 159, 200, 123),
                                             make_ip(129, 6, 15, 28), make_ip(194, 57, 169, 1)};
  return kServers;
}

struct Fetch {
  std::string path;
  std::string_view content_type;
  size_t body_size;
};

size_t document_size(Rng& rng) { return static_cast<size_t>(std::clamp(rng.lognormal(8000, 0.7), 600.0, 120000.0)); }
size_t resource_size(Rng& rng) { return static_cast<size_t>(std::clamp(rng.lognormal(4000, 1.0), 200.0, 400000.0)); }

Fetch resource_fetch(Rng& rng, int index) {
  static const std::vector<std::string_view> kKinds = {"css", "js"};
  const std::string_view kind = rng.pick(kKinds);
  Fetch f;
  const std::string bundle = std::to_string(rng.between(1000, 9999));
  f.path = concat("/assets/", kind, "/bundle-", bundle, "-", std::to_string(index), ".", kind);
  f.content_type = kind == "css" ? "text/css" : "application/javascript";
  f.body_size = resource_size(rng);
  return f;
}

std::string page_path(Rng& rng) {
  static const std::vector<std::string_view> kSections = {"news", "article", "blog", "products", "search", "topics"};
  if (rng.chance(0.25)) return "/";
  std::string path = "/";
  path += rng.pick(kSections);
  path += '/';
  path += std::to_string(rng.between(10000, 999999));
  path += ".html";
  return path;
}

// Ends an idle keep-alive connection: usually the client, sometimes the server's timeout.
void close_idle(TcpSession& session, Rng& rng, Micros last_activity) {
  if (rng.chance(0.6))
    session.close(Side::kClient, last_activity + from_seconds(rng.uniform(0.2, 15.0)));
  else
    session.close(Side::kServer, last_activity + from_seconds(rng.uniform(5.0, 20.0)));
}

// Requests `fetches` one after another over one HTTP/1.1 keep-alive connection to port 80.
// Returns when the last response has arrived.
Micros fetch_http(World& world, Host& host, Rng& rng, Micros t, Ipv4 ip, std::string_view hostname,
                  std::string_view server_software, const std::vector<Fetch>& fetches) {
  TcpSession session = open_session(world, host, rng, ip, 80);
  Micros now = session.connect(t);
  now += rng.between(20, 300);
  for (const Fetch& f : fetches) {
    const Micros at_server = session.send(Side::kClient, now, http_get(hostname, f.path, user_agent_for(host), true));
    const Micros think = from_millis(rng.lognormal(15, 1.0));
    const Bytes response = http_response(server_software, f.content_type, html_body(rng, f.body_size), true);
    now = session.send(Side::kServer, at_server + think, response);
    now += rng.between(200, 5000);  // the client parses the response
  }
  close_idle(session, rng, now);
  return now;
}

// The same over TLS (port 443): ClientHello, server flight, Finished, then request/response
// records per fetch, close_notify and FIN.
Micros fetch_https(World& world, Host& host, Rng& rng, Micros t, Ipv4 ip, std::string_view hostname,
                   const std::vector<Fetch>& fetches) {
  TcpSession session = open_session(world, host, rng, ip, 443);
  Micros now = session.connect(t);
  now += rng.between(20, 300);
  Micros at_server = session.send(Side::kClient, now, tls_client_hello(rng, hostname));
  const size_t certificate_bytes = static_cast<size_t>(rng.between(2200, 4800));
  const Bytes server_flight = tls_server_first_flight(rng, certificate_bytes);
  now = session.send(Side::kServer, at_server + rng.between(300, 4000), server_flight);
  now += rng.between(500, 3000);  // certificate verification
  bool first = true;
  for (const Fetch& f : fetches) {
    Bytes request = first ? tls_client_finished(rng) : Bytes{};
    const Bytes records = tls_application_data(rng, static_cast<size_t>(rng.between(250, 700)));
    request.insert(request.end(), records.begin(), records.end());
    first = false;
    at_server = session.send(Side::kClient, now, request);
    const Micros think = from_millis(rng.lognormal(15, 1.0));
    const Bytes response = tls_application_data(rng, f.body_size + 250);
    now = session.send(Side::kServer, at_server + think, response);
    now += rng.between(200, 5000);
  }
  if (rng.chance(0.7)) {
    const Micros idle = now + from_seconds(rng.uniform(0.5, 15.0));
    session.send(Side::kClient, idle, tls_application_data(rng, 2));  // close_notify alert
    session.close(Side::kClient, idle + rng.between(20, 200));
  } else {
    close_idle(session, rng, now);
  }
  return now;
}

Micros fetch(World& world, Host& host, Rng& rng, Micros t, Ipv4 ip, std::string_view hostname, bool https,
             std::string_view server_software, const std::vector<Fetch>& fetches) {
  return https ? fetch_https(world, host, rng, t, ip, hostname, fetches)
               : fetch_http(world, host, rng, t, ip, hostname, server_software, fetches);
}

// One page view: resolve, fetch the document, then its resources from the static host over
// one or two parallel connections. Returns when the page has finished loading.
Micros visit(World& world, Host& host, Rng& rng, Micros t, const Website& site) {
  const Ipv4 site_ip = site.ip;
  Micros now = resolve_name(world, host, rng, t, site.name, {&site_ip, 1});
  now += rng.between(50, 500);
  now = fetch(world, host, rng, now, site.ip, site.name, site.https, site.server_software,
              {{page_path(rng), "text/html; charset=utf-8", document_size(rng)}});
  if (site.static_name.empty()) return now;

  const int resource_count = static_cast<int>(rng.between(0, 3));
  if (resource_count == 0) return now;
  const Ipv4 static_ip = site.static_ip;
  now = resolve_name(world, host, rng, now + rng.between(2000, 30000), site.static_name, {&static_ip, 1},
                     site.static_canonical);
  const int connections = resource_count >= 2 && rng.chance(0.5) ? 2 : 1;
  Micros loaded = now;
  for (int c = 0; c < connections; ++c) {
    std::vector<Fetch> fetches;
    for (int i = c; i < resource_count; i += connections) fetches.push_back(resource_fetch(rng, i));
    loaded = std::max(loaded, fetch(world, host, rng, now + c * rng.between(100, 2000), site.static_ip,
                                    site.static_name, site.https, site.server_software, fetches));
  }
  return loaded;
}

// Alternating active and idle spells; during active spells page views arrive with
// exponential gaps (shorter with a larger --scale).
void browse(World& world, Host& host, Rng& rng, Micros from, Micros to) {
  constexpr double kMeanGapSeconds = 20.0;
  constexpr double kMeanActiveSeconds = 600.0;
  constexpr double kMeanIdleSeconds = 300.0;
  const std::vector<Website>& sites = websites();
  // Each user has a few favourite sites.
  std::vector<size_t> favourites;
  for (int i = 0; i < 4; ++i) favourites.push_back(rng.below(sites.size()));

  Micros t = from + from_seconds(rng.uniform(0.0, 120.0));
  bool active = rng.chance(0.7);
  Micros spell_end = t + from_seconds(rng.exponential(active ? kMeanActiveSeconds : kMeanIdleSeconds));
  while (t < to) {
    if (t >= spell_end) {
      active = !active;
      spell_end = t + from_seconds(rng.exponential(active ? kMeanActiveSeconds : kMeanIdleSeconds));
      continue;
    }
    if (!active) {
      t = spell_end;
      continue;
    }
    const Website& site = rng.chance(0.6) ? sites[rng.pick(favourites)] : rng.pick(sites);
    const Micros loaded = visit(world, host, rng, t, site);
    t = std::max(loaded, t) + from_seconds(rng.exponential(kMeanGapSeconds / world.scale()));
  }
}

// NTP client: polls one server, the interval growing from 64 s to the host's maximum (<= 1024 s).
void ntp_client(World& world, Host& host, Rng& rng, Micros from, Micros to) {
  const Ipv4 server = rng.pick(ntp_servers());
  const uint8_t max_poll = static_cast<uint8_t>(rng.between(7, 10));
  uint8_t poll = 6;
  Micros t = from + from_seconds(rng.uniform(0.0, 64.0));
  while (t < to) {
    ntp_poll(world, host, rng, t, server, poll);
    t += from_seconds(static_cast<double>(1 << poll) * rng.uniform(0.9, 1.05));
    if (poll < max_poll && rng.chance(0.5)) ++poll;
  }
}

}  // namespace

void simulate_arp(World& world, Host& host, Micros from, Micros to) {
  Rng rng = world.rng(concat("arp-", ip_to_string(host.ip)));
  for (Micros t = from + from_seconds(rng.uniform(0.0, 30.0)); t < to; t += from_seconds(rng.uniform(120.0, 900.0)))
    arp_for_gateway(world, host, rng, t);
  for (Micros t = from + from_seconds(rng.uniform(60.0, 600.0)); t < to; t += from_seconds(rng.uniform(300.0, 1500.0)))
    gateway_arp_for(world, host, rng, t);
  host.add_behaviour("arp");
}

void simulate_normal_user(World& world, Host& host, Micros from, Micros to) {
  const std::string id = ip_to_string(host.ip);
  Rng browse_rng = world.rng("browse-" + id);
  browse(world, host, browse_rng, from, to);
  Rng ntp_rng = world.rng("ntp-" + id);
  ntp_client(world, host, ntp_rng, from, to);
  for (std::string_view b : {"dns", "http", "tls", "ntp"}) host.add_behaviour(b);
}

void simulate_ssh_session(World& world, Host& host, Ipv4 server, Micros from, Micros to) {
  Rng rng = world.rng(concat("ssh-", ip_to_string(host.ip)));
  TcpSession session = open_session(world, host, rng, server, 22);
  session.assume_established();
  constexpr size_t kKeystrokePacket = 36;  // chacha20-poly1305 packet carrying one keystroke
  Micros t = from + from_seconds(rng.exponential(20.0));
  while (t < to) {
    const int keys = static_cast<int>(rng.between(2, 40));
    for (int k = 0; k <= keys && t < to; ++k) {
      const Micros at_server = session.send(Side::kClient, t, random_bytes(rng, kKeystrokePacket));
      const bool enter = k == keys;
      const size_t reply_size =
          enter ? 36 + 16 * static_cast<size_t>(std::clamp(rng.lognormal(40, 1.5), 1.0, 4000.0)) : kKeystrokePacket;
      const Micros think = enter ? from_millis(rng.lognormal(20, 1.2)) : rng.between(60, 400);
      const Micros echo_arrived = session.send(Side::kServer, at_server + think, random_bytes(rng, reply_size));
      // The next key is typed after this one's echo is back (keeps the model causal).
      const Micros typing_gap = from_millis(std::clamp(rng.lognormal(170, 0.5), 40.0, 1500.0));
      const Micros echo_seen = echo_arrived + rng.between(1000, 30000);
      t = std::max(t + typing_gap, echo_seen);
    }
    t += from_seconds(rng.chance(0.3) ? rng.exponential(300.0) : rng.exponential(10.0));
  }
  session.flush_delayed_acks(to);
  host.add_behaviour("ssh");
}

}  // namespace synth
