// bot_behaviour.h — malicious traffic models after CTU-13 families: IRC C&C sessions
// (Neris/Rbot), SMTP spam bursts, HTTP C&C beacons (Donbot/Sogou), TCP SYN scans, and
// ICMP / UDP floods (Rbot DDoS).
#pragma once

#include <string>
#include <vector>

#include "net_types.h"
#include "world.h"

namespace synth {

// A PRIVMSG the C&C operator sends to the channel at `at` (server world time); the bot
// answers with `reply` in the channel when it is not empty.
struct IrcCommand {
  Micros at = 0;
  std::string text;
  std::string reply;
};

struct IrcPlan {
  std::string server_name;
  Ipv4 server_ip = 0;
  uint16_t port = 6667;
  std::string nick;
  std::string channel;
  std::string channel_key;
  std::string topic;  // often itself a command
  std::vector<IrcCommand> commands;  // sorted by time
};

// DNS lookup of the server, then one long IRC session from `from` until the capture ends:
// registration, JOIN, PING/PONG about every 90 s, operator commands and bot replies.
void run_irc_bot(World& world, Host& host, const IrcPlan& plan, Micros from, Micros to);

// `attempts` connections to port 25 of distinct random mail servers spread over `span`:
// most unanswered (SYN retransmits) or refused (RST), a few with an SMTP dialogue.
void smtp_spam_burst(World& world, Host& host, Rng& rng, Micros start, int attempts, Micros span);

struct HttpCcPlan {
  std::string server_name;
  Ipv4 server_ip = 0;
  std::string path;  // e.g. "/images/check.php"
  std::string bot_id;
  std::vector<Micros> task_times;  // beacons shortly before these get a task in the reply
};

// A short HTTP connection to the C&C every 30-60 s (jittered), re-resolving its name now and then.
void http_cc_beacons(World& world, Host& host, const HttpCcPlan& plan, Micros from, Micros to);

// SYN scan of port `port` over every address of the /24 `network`.
void syn_scan_subnet(World& world, Host& host, Rng& rng, Micros start, Ipv4 network, uint16_t port,
                     double probes_per_second);
// SYN scan of ports 1..1024 of `target` in random order.
void syn_scan_ports(World& world, Host& host, Rng& rng, Micros start, Ipv4 target, double probes_per_second);

// ICMP echo request flood; the target answers a fraction of them.
void icmp_flood(World& world, Host& host, Rng& rng, Ipv4 target, Micros start, Micros duration,
                double packets_per_second);
// UDP flood to random high ports; the target sends rate-limited ICMP port unreachables.
void udp_flood(World& world, Host& host, Rng& rng, Ipv4 target, Micros start, Micros duration,
               double packets_per_second);

// UDP ports >= 10000 that Wireshark 4.0 associates with a dissector. Random-port UDP traffic
// (the flood, peer-to-peer bots) avoids them so that its payload is not decoded as
// (malformed) SIP, DOF, CoAP... by tshark.
bool has_wireshark_dissector(uint16_t port);

}  // namespace synth
