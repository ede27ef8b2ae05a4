// FlowState: what the flow table keeps per flow object while it is alive (private to the
// flow module). One object can produce several records (after a status report or a TCP
// re-open): `SideCounters` restart with each record, the rest is the object's.
//
// Sides are the record's source (0) and destination (1) as argus counts them: the source is
// the sender of the object's first packet (for ARP always the requester). Which canonical
// end of the key that is, and which end ra prints as SrcAddr, are two separate bits because
// argus lets them disagree after some TCP re-opens (ARGUS-NOTES §3.7).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "flow/flow_key.h"
#include "flow/tcp_tracker.h"

namespace botd {

struct SideCounters {
  uint64_t bytes = 0;
  int64_t first_us = 0, last_us = 0;  // meaningful when packets > 0
  uint32_t packets = 0;
  // The IP attributes of the side's last packet. They outlive the record: a continuation
  // record prints them for a side that stayed silent (ARGUS-NOTES §6).
  uint8_t ttl = 0, tos = 0;
  bool has_attributes = false;
};

// The per-side statistics of `--fields extended` (ARGUS-NOTES §10), kept only when asked for.
struct GapStats {
  uint32_t count = 0;
  float sum_us = 0;         // argus sums integer microseconds in a float
  double sum_squares = 0;   // and their squares in a 64-bit integer (exact here up to 2^53)
};
struct ExtendedSide {
  GapStats active, idle;
  int64_t last_packet_us = 0;  // for gaps; outlives the record, like argus's
  uint16_t min_size = 0xffff, max_size = 0;  // argus's 16-bit packet size fields
};
struct ExtendedCounters {
  ExtendedSide side[2];
  void start_new_record() {
    for (ExtendedSide& s : side) {
      s.active = s.idle = GapStats{};
      s.min_size = 0xffff;
      s.max_size = 0;
    }
  }
};

// What ra prints instead of "udp" for the first packet's payload (ARGUS-NOTES §9).
enum class UdpApplication : uint8_t { none, rtp, rtcp };

// Flow objects are many (argus keeps every flow of the last hour: 1.4 million on the
// benchmark hour), so this stays compact (136 bytes): TCP state lives in a pool of its own,
// only for TCP flows, and extended statistics in an array beside the flows, only when asked
// for. The members are ordered to leave no padding, and the flags are bits.
constexpr uint32_t kNoSlot = 0xffffffff;

struct FlowState {
  FlowKey key;
  uint32_t tcp_slot = kNoSlot;   // this flow's TcpTracker in the table's pool (TCP only)
  SideCounters side[2];
  int64_t queued_us = 0;         // argus's qtime: creation, re-open or revival
  uint32_t ticket = 0;           // which queue entry is current (see FlowTable)
  uint8_t icmp_type = 0, icmp_code = 0;  // of the record's first packet (ICMP state)
  UdpApplication application = UdpApplication::none;
  bool source_is_a : 1 = true;       // side 0 is the key's end a
  bool print_b_first : 1 = false;    // ra prints end b as SrcAddr
  bool continuation : 1 = false;     // a record after a status report (UDP one-way prints REQ)
  bool reported : 1 = false;         // waiting in the timeout queue after a status report
  bool has_fragments : 1 = false;    // later fragments of its datagrams wait in the fragment table
  bool has_dns : 1 = false;          // the table holds DNS messages of this record (FlowTable::note_dns)

  int side_of(bool from_a) const { return from_a == source_is_a ? 0 : 1; }
  bool has_packets() const { return side[0].packets + side[1].packets > 0; }
  // The record's first and last packet times over the sides that have packets (ra ignores a
  // side without packets, whatever touched its clock).
  int64_t start_us() const {
    if (!side[1].packets) return side[0].first_us;
    if (!side[0].packets) return side[1].first_us;
    return std::min(side[0].first_us, side[1].first_us);
  }
  int64_t last_us() const {
    if (!side[1].packets) return side[0].last_us;
    if (!side[0].packets) return side[1].last_us;
    return std::max(side[0].last_us, side[1].last_us);
  }
};
static_assert(sizeof(FlowState) == 136, "a flow object grew: the flow table's memory grows with it");

}  // namespace botd
