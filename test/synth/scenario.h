// scenario.h — the LAN population and its timeline: eight normal hosts (one with a long SSH
// session), four bots with CTU-13-like behaviours and infection times, all written into the
// World's capture. Host roles, behaviours and infection times are recorded on the hosts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "world.h"

namespace synth {

void build_scenario(World& world);

// The opt-in bot families (botd-synth --family), in the order they are added: "p2p",
// "dns-beacon", "https-beacon".
const std::vector<std::string_view>& family_names();

// Adds one more bot per family named (each at most once, in family_names() order, whatever the
// order given): 192.168.1.70 p2p, .71 dns-beacon, .72 https-beacon. Each family draws from its
// own random streams (seeded from the world's seed and the family's name), so the rest of the
// capture is made from the same draws with or without it (only the IPv4 ids of addresses that
// the new bots share with others, such as the gateway's, count on). Without families nothing is
// added. Throws std::invalid_argument on an unknown name.
void add_families(World& world, const std::vector<std::string>& families);

}  // namespace synth
