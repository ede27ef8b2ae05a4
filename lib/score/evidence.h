// Evidence: the flagged flows of one host in one window, said in words an analyst reads at a
// glance (SPEC §6), e.g.
//   "412 SMTP connection attempts to 388 hosts (97% failed); 3 IRC connections to 147.32.96.69"
//
// Flows are grouped by direction (the host as source: "to"; as destination: "incoming ...
// from"), protocol and service port; the biggest groups come first, at most three, then a
// count of the rest. Behaviours are named where the flows show them: a port scan (one peer,
// 10 or more ports), a share of failed attempts, a regular period (4 or more flows to at most
// 3 peers whose start times are evenly spaced), a flood (1000 or more packets of UDP or ICMP).
// The text has no commas or line breaks, so it sits in a CSV field unquoted.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "features/host_behaviour.h"
#include "flow/flow_record.h"

namespace botd {

// `flows`: the flagged flows `host` took part in (as source or destination). Empty -> "".
std::string describe_flagged_flows(std::string_view host, std::span<const FlowRecord* const> flows);

// The behaviours (features/host_behaviour.h) notable enough to name, e.g.
//   "connects to 91.212.135.158:5678/tcp every ~60 s for 40 min; 312 DNS queries to 8.8.8.8
//    (71% unanswered)"
// A regular channel (score >= 0.8 over >= 8 connections), many DNS queries that fail or go
// to resolvers outside the LAN, UDP to many peers on many high ports, scans, SMTP fan-out, a one-way flood.
// Nothing notable -> "". Same text rules as above (no commas).
std::string describe_behaviour(const HostBehaviour& behaviour);

}  // namespace botd
