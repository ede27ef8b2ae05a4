// FlowFacts: what one flow says about itself, parsed once from its text columns — protocol
// family, ports as numbers, ICMP type and code, TCP flags per side from State, and whether
// the destination answered or the attempt failed. Features and host evidence both read
// flows through it, so that "failed" means the same thing in a model and in a report.
//
// Values a flow lacks (ports of ICMP, flags of UDP) are NaN or 0; parsing never fails.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

#include "flow/flow_record.h"

namespace botd {

struct FlowFacts {
  enum class Proto { tcp, udp, icmp, icmpv6, arp, igmp, other } proto = Proto::other;
  static constexpr float kNone = std::numeric_limits<float>::quiet_NaN();
  float sport = kNone, dport = kNone;  // TCP and UDP only
  float icmp_type = kNone, icmp_code = kNone;
  uint8_t src_flags = 0, dst_flags = 0;  // TCP, from State (capture/packet.h's tcp_flag bits)
  bool answered = false;  // the destination sent something
  bool failed = false;    // a connection attempt refused or unanswered, an unreachable
};

FlowFacts facts_of(const FlowRecord& flow);

// "80" -> 80, "0x0008" -> 8; NaN when the text is not a number.
float port_number_of(std::string_view text);

}  // namespace botd
