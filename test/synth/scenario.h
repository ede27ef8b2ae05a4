// scenario.h — the LAN population and its timeline: eight normal hosts (one with a long SSH
// session), four bots with CTU-13-like behaviours and infection times, all written into the
// World's capture. Host roles, behaviours and infection times are recorded on the hosts.
#pragma once

#include "world.h"

namespace synth {

void build_scenario(World& world);

}  // namespace synth
