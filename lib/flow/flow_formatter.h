// Turns a flow object's current record into the FlowRecord ra prints (ARGUS-NOTES §3–§7,
// §10, §11): orientation with ra's corrections (a TCP flow opened by a SYN-ACK, an ICMP
// record of replies only), Dir, State, Proto and port texts, the ERR rule, and the extended
// per-direction fields when the flow kept them.
#pragma once

#include "flow/flow_record.h"
#include "flow/flow_state.h"
#include "flow/tcp_tracker.h"

namespace botd {

// `tcp` is null for non-TCP flows, `extended` null when extended fields were not kept.
FlowRecord format_flow(const FlowState& flow, const TcpTracker* tcp, const ExtendedCounters* extended);

}  // namespace botd
