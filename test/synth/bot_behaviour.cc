// bot_behaviour.cc — malicious traffic models (see bot_behaviour.h).
#include "bot_behaviour.h"

#include <algorithm>
#include <limits>

#include "packet_builder.h"
#include "payloads.h"
#include "services.h"
#include "tcp_session.h"

namespace synth {
namespace {

std::string random_word(Rng& rng, int min_length, int max_length) {
  static const std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
  std::string w;
  const int64_t length = rng.between(min_length, max_length);
  for (int64_t i = 0; i < length; ++i) w += kLetters[rng.below(kLetters.size())];
  return w;
}

// Base64-alphabet filler, as C&C replies often carry encoded blobs.
std::string random_token(Rng& rng, size_t length) {
  static const std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string token;
  for (size_t i = 0; i < length; ++i) token += kAlphabet[rng.below(kAlphabet.size())];
  return token;
}

// ------------------------------------------------------------------ IRC

std::string irc_welcome(const IrcPlan& plan, const std::string& user, const std::string& host_name) {
  const std::string& s = plan.server_name;
  const std::string& n = plan.nick;
  std::string m;
  m += ":" + s + " 001 " + n + " :Welcome to the Internet Relay Network " + n + "!" + user + "@" + host_name + "\r\n";
  m += ":" + s + " 002 " + n + " :Your host is " + s + ", running version Unreal3.2.8.1\r\n";
  m += ":" + s + " 003 " + n + " :This server was created Mon Jan 13 2025 at 21:04:55 UTC\r\n";
  m += ":" + s + " 004 " + n + " " + s + " Unreal3.2.8.1 iowghraAsORTVSxNCWqBzvdHtGp lvhopsmntikrRcaqOALQbSeIKVfMCuzNTGj\r\n";
  m += ":" + s + " 005 " + n + " SAFELIST HCN MAXCHANNELS=10 CHANLIMIT=#:10 MAXLIST=b:60,e:60,I:60 NICKLEN=30 "
       "CHANNELLEN=32 TOPICLEN=307 KICKLEN=307 AWAYLEN=307 :are supported by this server\r\n";
  m += ":" + s + " 251 " + n + " :There are 1 users and 1834 invisible on 1 servers\r\n";
  m += ":" + s + " 375 " + n + " :- " + s + " Message of the Day -\r\n";
  m += ":" + s + " 372 " + n + " :- 14/1/2025 21:06\r\n";
  m += ":" + s + " 376 " + n + " :End of /MOTD command.\r\n";
  m += ":" + n + " MODE " + n + " :+iwx\r\n";
  return m;
}

std::string irc_join_reply(const IrcPlan& plan, const std::string& user, const std::string& host_name) {
  const std::string& s = plan.server_name;
  const std::string& n = plan.nick;
  const std::string& c = plan.channel;
  std::string m;
  m += ":" + n + "!" + user + "@" + host_name + " JOIN :" + c + "\r\n";
  m += ":" + s + " 332 " + n + " " + c + " :" + plan.topic + "\r\n";
  m += ":" + s + " 333 " + n + " " + c + " h4x 1736802412\r\n";
  m += ":" + s + " 353 " + n + " @ " + c + " :" + n + " @h4x\r\n";
  m += ":" + s + " 366 " + n + " " + c + " :End of /NAMES list.\r\n";
  return m;
}

// ------------------------------------------------------------------ SMTP

// One accepted SMTP connection: banner, EHLO, MAIL, RCPT, then DATA and QUIT, or a
// rejection at RCPT followed by QUIT. The server closes.
void smtp_dialogue(TcpSession& session, Rng& rng, Micros client_ready) {
  std::string domain = random_word(rng, 5, 10);
  domain += rng.chance(0.5) ? ".com" : ".net";
  const std::string mx = concat("mx", std::to_string(rng.between(1, 3)), ".", domain);
  auto client_delay = [&rng] { return from_millis(rng.uniform(1.0, 60.0)); };
  auto server_delay = [&rng] { return from_millis(rng.uniform(0.5, 40.0)); };

  Micros at_client = session.send(Side::kServer, session.delivered_at(Side::kClient, client_ready) + from_millis(rng.uniform(5, 300)),
                                  to_bytes("220 " + mx + " ESMTP Postfix\r\n"));
  const std::string helo = random_word(rng, 6, 12);
  Micros at_server = session.send(Side::kClient, at_client + client_delay(), to_bytes("EHLO " + helo + "\r\n"));
  at_client = session.send(Side::kServer, at_server + server_delay(),
                           to_bytes("250-" + mx + "\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n"
                                    "250-ETRN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 DSN\r\n"));
  std::string sender = random_word(rng, 4, 9);
  sender += concat("@", random_word(rng, 5, 9), ".com");
  at_server = session.send(Side::kClient, at_client + client_delay(), to_bytes("MAIL FROM:<" + sender + ">\r\n"));
  at_client = session.send(Side::kServer, at_server + server_delay(), to_bytes("250 2.1.0 Ok\r\n"));
  const std::string recipient = random_word(rng, 3, 8) + "@" + domain;
  at_server = session.send(Side::kClient, at_client + client_delay(), to_bytes("RCPT TO:<" + recipient + ">\r\n"));

  if (rng.chance(0.4)) {
    at_client = session.send(Side::kServer, at_server + from_millis(rng.uniform(20, 400)),
                             to_bytes("554 5.7.1 Service unavailable; Client host blocked using zen.spamhaus.org\r\n"));
  } else {
    at_client = session.send(Side::kServer, at_server + server_delay(), to_bytes("250 2.1.5 Ok\r\n"));
    at_server = session.send(Side::kClient, at_client + client_delay(), to_bytes("DATA\r\n"));
    at_client = session.send(Side::kServer, at_server + server_delay(),
                             to_bytes("354 End data with <CR><LF>.<CR><LF>\r\n"));
    std::string message = "From: \"Pharmacy Online\" <" + sender + ">\r\nTo: <" + recipient +
                          ">\r\nSubject: Your order #" + std::to_string(rng.between(10000, 99999)) +
                          " is ready\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
    const int64_t lines = rng.between(5, 30);
    // One random call per statement: the evaluation order of `a + b` operands is unspecified.
    for (int64_t i = 0; i < lines; ++i) {
      message += random_word(rng, 3, 9);
      message += concat(" ", random_word(rng, 2, 8));
      message += concat(" best price ", random_word(rng, 4, 10), "\r\n");
    }
    message += concat("http://", random_word(rng, 6, 10));
    message += concat(".com/?r=", std::to_string(rng.between(100000, 999999)), "\r\n.\r\n");
    at_server = session.send(Side::kClient, at_client + client_delay(), to_bytes(message));
    const std::string queued = concat("250 2.0.0 Ok: queued as ", std::to_string(rng.between(100000, 999999)), "A\r\n");
    at_client = session.send(Side::kServer, at_server + from_millis(rng.uniform(5, 200)), to_bytes(queued));
  }
  at_server = session.send(Side::kClient, at_client + client_delay(), to_bytes("QUIT\r\n"));
  const Micros goodbye = at_server + server_delay();
  session.send(Side::kServer, goodbye, to_bytes("221 2.0.0 Bye\r\n"));
  session.close(Side::kServer, goodbye + rng.between(50, 1000));
}

// ------------------------------------------------------------------ scans

enum class ProbeResult { kOpen, kClosed, kSilent };

// One raw SYN probe: closed ports answer RST-ACK, open ones SYN-ACK and the scanner resets.
void syn_probe(World& world, Host& scanner, Rng& rng, Micros t, Ipv4 target, uint16_t src_port, uint16_t dst_port,
               ProbeResult result) {
  static const uint8_t kScannerOptions[] = {2, 4, 0x05, 0xb4};
  static const uint8_t kTargetOptions[] = {2, 4, 0x05, 0xb4, 1, 1, 4, 2};
  const Peer from = scanner.peer();
  const Peer to = world.remote(target);
  const uint32_t isn = rng.next32();
  TcpHeader syn{src_port, dst_port, isn, 0, tcp_flag::kSyn, 1024, kScannerOptions};
  const Micros syn_captured = t + from.one_way_delay;
  world.capture().add(syn_captured, tcp_frame(ip_header(from, to, false), syn, {}));
  if (result == ProbeResult::kSilent) return;

  const Micros reply_captured = syn_captured + 2 * to.one_way_delay + rng.between(30, 400);
  if (result == ProbeResult::kClosed) {
    TcpHeader rst{dst_port, src_port, 0, isn + 1, tcp_flag::kRst | tcp_flag::kAck, 0, {}};
    world.capture().add(reply_captured, tcp_frame(ip_header(to, from, true), rst, {}));
    return;
  }
  TcpHeader syn_ack{dst_port, src_port, rng.next32(), isn + 1, tcp_flag::kSyn | tcp_flag::kAck, 65535, kTargetOptions};
  world.capture().add(reply_captured, tcp_frame(ip_header(to, from, true), syn_ack, {}));
  TcpHeader reset{src_port, dst_port, isn + 1, 0, tcp_flag::kRst, 0, {}};
  world.capture().add(reply_captured + 2 * from.one_way_delay + rng.between(10, 80),
                      tcp_frame(ip_header(from, to, false), reset, {}));
}

uint16_t random_flood_port(Rng& rng) {
  uint16_t port;
  do port = static_cast<uint16_t>(rng.between(10000, 65535));
  while (has_wireshark_dissector(port));
  return port;
}

Micros probe_gap(Rng& rng, double probes_per_second) {
  return std::max<Micros>(1, from_seconds(rng.uniform(0.5, 1.5) / probes_per_second));
}

}  // namespace

bool has_wireshark_dissector(uint16_t port) {
  static const std::vector<uint16_t> kPorts = {
      10253, 10500, 11211, 11273, 11898, 12000, 12001, 12002, 12003, 12004, 12220, 12222, 12223, 13400, 13819, 13907,
      13910, 17220, 17500, 17754, 17755, 17756, 18246, 19132, 19788, 19948, 19999, 20000, 20561, 22222, 23272, 24576,
      24577, 25826, 26000, 27036, 27500, 27910, 27950, 27951, 27952, 27953, 27960, 27961, 27962, 27963, 30030, 32000,
      32512, 34962, 34980, 37008, 41170, 44818, 45564, 47000, 47808, 49999, 54328, 56000, 56001, 56500, 56501, 57000,
      57001, 57032, 57033, 57500, 57501, 57532, 57533, 59000, 59001, 59032, 59033, 59500, 59501, 59532, 59533, 60001};
  return std::binary_search(kPorts.begin(), kPorts.end(), port);
}

void run_irc_bot(World& world, Host& host, const IrcPlan& plan, Micros from, Micros to) {
  if (from >= to) return;
  Rng rng = world.rng(concat("irc-", ip_to_string(host.ip)));
  const Ipv4 server_ip = plan.server_ip;
  Micros t = resolve_name(world, host, rng, from, plan.server_name, {&server_ip, 1});
  t += rng.between(200, 3000);
  TcpSession session = open_session(world, host, rng, plan.server_ip, plan.port);
  const Micros connected = session.connect(t);
  const std::string user = random_word(rng, 5, 8);
  const std::string address_part_a = std::to_string(rng.between(10, 250));
  const std::string address_part_b = std::to_string(rng.between(10, 250));
  const std::string host_name = "adsl-" + address_part_a + "-" + address_part_b + ".dyn.example-isp.net";

  Micros at_client = session.send(Side::kServer, session.delivered_at(Side::kClient, connected) + from_millis(rng.uniform(1, 30)),
                                  to_bytes(":" + plan.server_name + " NOTICE AUTH :*** Looking up your hostname...\r\n"));
  Micros at_server = session.send(Side::kClient, at_client + from_millis(rng.uniform(2, 50)),
                                  to_bytes("NICK " + plan.nick + "\r\nUSER " + user + " 0 0 :" + user + "\r\n"));
  at_client = session.send(Side::kServer, at_server + from_millis(rng.uniform(200, 2500)),
                           to_bytes(":" + plan.server_name + " NOTICE AUTH :*** Found your hostname\r\n" +
                                    irc_welcome(plan, user, host_name)));
  at_server = session.send(Side::kClient, at_client + from_millis(rng.uniform(100, 800)),
                           to_bytes("JOIN " + plan.channel + " " + plan.channel_key + "\r\n"));
  Micros last = session.send(Side::kServer, at_server + from_millis(rng.uniform(5, 80)),
                             to_bytes(irc_join_reply(plan, user, host_name)));

  const std::string ping = "PING :" + plan.server_name + "\r\n";
  const std::string pong = "PONG :" + plan.server_name + "\r\n";
  Micros next_ping = last + from_seconds(rng.uniform(80.0, 100.0));
  size_t next_command = 0;
  while (true) {
    const Micros command_time =
        next_command < plan.commands.size() ? plan.commands[next_command].at : std::numeric_limits<Micros>::max();
    const bool is_ping = next_ping <= command_time;
    const Micros event = std::max(is_ping ? next_ping : command_time, last + 100 * kMillisecond);
    if (event >= to) break;
    if (is_ping) {
      at_client = session.send(Side::kServer, event, to_bytes(ping));
      last = session.send(Side::kClient, at_client + from_millis(rng.uniform(0.5, 30.0)), to_bytes(pong));
      next_ping = event + from_seconds(rng.uniform(80.0, 100.0));
    } else {
      const IrcCommand& command = plan.commands[next_command++];
      at_client = session.send(Side::kServer, event,
                               to_bytes(":h4x!~h4x@" + plan.server_name + " PRIVMSG " + plan.channel + " :" +
                                        command.text + "\r\n"));
      last = at_client;
      if (!command.reply.empty())
        last = session.send(Side::kClient, at_client + from_millis(rng.uniform(50, 1500)),
                            to_bytes("PRIVMSG " + plan.channel + " :" + command.reply + "\r\n"));
    }
  }
  session.flush_delayed_acks(to);
  host.add_behaviour("dns");
  host.add_behaviour("irc-cc");
}

void smtp_spam_burst(World& world, Host& host, Rng& rng, Micros start, int attempts, Micros span) {
  if (start >= world.end()) return;
  const Micros mean_gap = span / std::max(attempts, 1);
  Micros t = start;
  for (int i = 0; i < attempts; ++i) {
    const Ipv4 mail_server = random_public_ip(rng);
    TcpSession session = open_session(world, host, rng, mail_server, 25);
    const double roll = rng.uniform01();
    if (roll < 0.50) {
      session.connect(t, SynOutcome::kUnanswered);
    } else if (roll < 0.93) {
      session.connect(t, SynOutcome::kRefused);
    } else {
      smtp_dialogue(session, rng, session.connect(t));
    }
    t += std::max<Micros>(1000, from_seconds(rng.exponential(static_cast<double>(mean_gap) / kSecond)));
  }
  host.add_behaviour("smtp-spam");
}

void http_cc_beacons(World& world, Host& host, const HttpCcPlan& plan, Micros from, Micros to) {
  if (from >= to) return;
  Rng rng = world.rng(concat("http-cc-", ip_to_string(host.ip)));
  const Ipv4 server_ip = plan.server_ip;
  Micros resolve_due = from;
  Micros t = from + rng.between(1 * kSecond, 5 * kSecond);
  int beacon = 0;
  while (t < to) {
    if (t >= resolve_due) {
      t = resolve_name(world, host, rng, t, plan.server_name, {&server_ip, 1});
      t += rng.between(1000, 20000);
      resolve_due = t + from_seconds(rng.uniform(280.0, 320.0));
    }
    TcpSession session = open_session(world, host, rng, plan.server_ip, 80);
    const Micros connected = session.connect(t);
    const std::string path = plan.path + "?id=" + plan.bot_id + "&v=2.14&n=" + std::to_string(beacon++);
    const Micros at_server =
        session.send(Side::kClient, connected + rng.between(30, 300), http_get(plan.server_name, path, user_agent_for(host), false));
    const bool task_soon = std::any_of(plan.task_times.begin(), plan.task_times.end(),
                                       [t](Micros task) { return task >= t && task < t + 60 * kSecond; });
    std::string body = task_soon ? concat("task=scan;id=", std::to_string(rng.between(1000, 9999)), ";go\n") : "ok;wait\n";
    body += concat("data=", random_token(rng, static_cast<size_t>(rng.between(40, 300))), "\n");
    const Micros reply_time = at_server + from_millis(rng.uniform(10, 120));
    session.send(Side::kServer, reply_time, http_response("nginx/1.18.0", "text/plain", to_bytes(body), false));
    session.close(Side::kServer, reply_time + rng.between(100, 2000));
    t += from_seconds(rng.uniform(30.0, 60.0));
  }
  host.add_behaviour("dns");
  host.add_behaviour("http-cc");
}

void syn_scan_subnet(World& world, Host& host, Rng& rng, Micros start, Ipv4 network, uint16_t port,
                     double probes_per_second) {
  if (start >= world.end()) return;
  const uint16_t src_port = static_cast<uint16_t>(rng.between(1025, 65000));
  Micros t = start;
  for (uint32_t last_octet = 1; last_octet <= 254; ++last_octet) {
    const double roll = rng.uniform01();
    const ProbeResult result = roll < 0.08 ? ProbeResult::kOpen : roll < 0.40 ? ProbeResult::kClosed : ProbeResult::kSilent;
    syn_probe(world, host, rng, t, (network & 0xffffff00u) | last_octet, src_port, port, result);
    t += probe_gap(rng, probes_per_second);
  }
  host.add_behaviour("syn-scan");
}

void syn_scan_ports(World& world, Host& host, Rng& rng, Micros start, Ipv4 target, double probes_per_second) {
  if (start >= world.end()) return;
  static const std::vector<uint16_t> kOpenPorts = {21, 22, 25, 53, 80, 110, 143, 443, 465, 587, 993, 995};
  std::vector<uint16_t> ports;
  for (uint16_t p = 1; p <= 1024; ++p) ports.push_back(p);
  rng.shuffle(ports);
  const uint16_t src_port = static_cast<uint16_t>(rng.between(1025, 65000));
  Micros t = start;
  for (uint16_t port : ports) {
    const bool open = std::find(kOpenPorts.begin(), kOpenPorts.end(), port) != kOpenPorts.end();
    const ProbeResult result = open ? ProbeResult::kOpen : rng.chance(0.9) ? ProbeResult::kClosed : ProbeResult::kSilent;
    syn_probe(world, host, rng, t, target, src_port, port, result);
    t += probe_gap(rng, probes_per_second);
  }
  host.add_behaviour("syn-scan");
}

void icmp_flood(World& world, Host& host, Rng& rng, Ipv4 target, Micros start, Micros duration,
                double packets_per_second) {
  if (start >= world.end()) return;
  static const std::string_view kPattern = "abcdefghijklmnopqrstuvwabcdefghi";  // Windows ping data
  const Bytes payload = to_bytes(kPattern);
  const Peer bot = host.peer();
  const Peer victim = world.remote(target);
  // Raw-socket flooders reuse one id and sequence number (as in CTU-13's Rbot captures), so
  // argus sees one long echo flow rather than one flow per sequence number.
  const uint32_t echo_id = static_cast<uint32_t>(rng.between(256, 4096));
  const uint32_t echo_sequence = static_cast<uint32_t>(rng.between(1, 255));
  const uint32_t id_and_sequence = (echo_id << 16) | echo_sequence;
  const double reply_fraction = rng.uniform(0.05, 0.25);
  const double mean_gap_seconds = 1.0 / packets_per_second;
  for (Micros t = start; t < start + duration;
       t += std::max<Micros>(1, from_seconds(mean_gap_seconds * rng.uniform(0.5, 1.5)))) {
    const Micros captured = t + bot.one_way_delay;
    world.capture().add(captured, icmp_frame(ip_header(bot, victim, false), 8, 0, id_and_sequence, payload));
    if (rng.chance(reply_fraction)) {
      const Micros reply = captured + 2 * victim.one_way_delay + rng.between(20, 2000);
      world.capture().add(reply, icmp_frame(ip_header(victim, bot, false), 0, 0, id_and_sequence, payload));
    }
  }
  host.add_behaviour("icmp-flood");
}

void udp_flood(World& world, Host& host, Rng& rng, Ipv4 target, Micros start, Micros duration,
               double packets_per_second) {
  if (start >= world.end()) return;
  const Peer bot = host.peer();
  const Peer victim = world.remote(target);
  const uint16_t src_port = random_flood_port(rng);
  const Bytes payload(static_cast<size_t>(rng.between(100, 300)), static_cast<uint8_t>('X'));  // constant filler
  const double mean_gap_seconds = 1.0 / packets_per_second;
  const uint8_t hops_to_victim = static_cast<uint8_t>(rng.between(8, 20));
  Micros next_unreachable = start;
  for (Micros t = start; t < start + duration;
       t += std::max<Micros>(1, from_seconds(mean_gap_seconds * rng.uniform(0.5, 1.5)))) {
    const uint16_t dst_port = random_flood_port(rng);
    Capture::RecordId sent = Capture::kDropped;
    const Micros captured = send_udp(world, bot, victim, src_port, dst_port, payload, t, &sent);
    if (sent == Capture::kDropped || captured < next_unreachable) continue;
    // Rate-limited ICMP port unreachable quoting the IP header and UDP header.
    const Micros reply = captured + 2 * victim.one_way_delay + rng.between(20, 500);
    std::span<const uint8_t> original = world.capture().frame(sent);
    Bytes quote(original.begin() + kEthernetHeaderSize, original.begin() + kEthernetHeaderSize + kIpv4HeaderSize + 8);
    quote[8] = static_cast<uint8_t>(quote[8] - hops_to_victim);  // TTL as it reached the target
    world.capture().add_icmp_error(reply, icmp_frame(ip_header(victim, bot, false), 3, 3, 0, quote), sent);
    next_unreachable = captured + from_seconds(rng.uniform(0.5, 2.0));
  }
  host.add_behaviour("udp-flood");
}

}  // namespace synth
