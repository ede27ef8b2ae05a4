// normal_behaviour.h — benign LAN host activity: web browsing (DNS, then HTTP and TLS
// connections with keep-alive and teardown), NTP polls, ARP, and a long interactive SSH session.
#pragma once

#include "net_types.h"
#include "world.h"

namespace synth {

// Browsing, NTP and ARP for `host` in [from, to). Volume scales with world.scale().
void simulate_normal_user(World& world, Host& host, Micros from, Micros to);

// An interactive SSH session to `server` that was set up before the capture started and is
// still open at its end: keystrokes, echoes, command output, idle spells.
void simulate_ssh_session(World& world, Host& host, Ipv4 server, Micros from, Micros to);

// Periodic ARP exchanges between `host` and the gateway in [from, to).
void simulate_arp(World& world, Host& host, Micros from, Micros to);

}  // namespace synth
