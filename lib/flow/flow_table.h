// FlowTable: argus's flow modeler (ARGUS-NOTES §2–§9): decoded packets in, bidirectional
// flow records out, as `argus -F argus.conf` followed by `ra -X -Z b` would give them.
//
// A flow object lives from its first packet until it is deleted; it produces a record
// (FlowRecord) when the table is finished, when a record reaches the status interval (3600 s
// after its queue time, checked on the flow's own packets and in a scan every 0.2 s of packet
// time), or when a SYN re-opens a closed TCP connection. After a status report the object
// waits for its protocol's idle timeout (TCP 60 s, 10 s once closed; ICMP and ARP 5 s; the
// rest 30 s): a packet before that continues it (same orientation, "REQ" for one-way UDP),
// a later one starts a new object. Memory follows the number of live flow objects.
//
// Records are handed to the callback as they end; finish() hands over the rest in argus's
// order (by queue time). Not thread-safe; one table per window.
//
// A bound on memory (max_flows): when a new flow would make more live flow objects than
// that, the least recently active sixteenth of them end early, as if their idle timeout had
// come (their records go out now; a later packet starts a new record), and are counted
// (ended_early(), ended_active()). argus has no such bound: below it, records are argus's.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "capture/packet.h"
#include "flow/flow_key.h"
#include "flow/flow_record.h"
#include "flow/flow_state.h"
#include "flow/slot_pool.h"

namespace botd {

// The commands' default for max_flows (--max-flows): about 1 GB of flow objects (~340 bytes
// each with their index, queues and TCP state), twice the 1.4 M that the benchmark capture's
// hour holds at once.
constexpr size_t kDefaultMaxFlows = 3'000'000;

struct FlowTableOptions {
  bool extended = false;  // also keep what --fields extended needs
  int64_t status_interval_us = 3600'000'000;
  size_t max_flows = 0;   // live flow objects at most; 0: no bound
};

using FlowRecordCallback = std::function<void(FlowRecord&&)>;

class FlowTable {
 public:
  FlowTable(const FlowTableOptions& options, FlowRecordCallback emit);

  // Adds one undamaged packet (PacketSource's Damage::none), in capture order.
  void add(const PacketView& packet);
  // The same, with the packet's key_packet() and that key's hash() made by the caller: once
  // for all the tables a packet goes to (flow/windowed_flows.h).
  void add(const PacketView& packet, const std::optional<KeyedPacket>& keyed, uint64_t hash);
  // Asks for the memory where the index search for a key of this hash starts, ahead of add():
  // the index is megabytes and the search waits for memory otherwise (most of add()'s time).
  // Inlined by force: GCC takes a call that only prefetches for one without effect, and drops it.
  [[gnu::always_inline]] void prefetch(uint64_t hash) const {
    __builtin_prefetch(&index_[uint32_t(hash) & (index_.size() - 1)]);
  }

  // Emits every record still open, in argus's order. The table is empty afterwards.
  void finish();

  size_t live_flows() const { return flows_.live(); }
  // Flow objects ended early to keep within max_flows; of them, those that had a packet
  // within their idle timeout (the others had most likely ended).
  uint64_t ended_early() const { return ended_early_; }
  uint64_t ended_active() const { return ended_active_; }
  // Sizes the index for about this many flows at once (a hint; the table grows anyway).
  void reserve(size_t flows);

 private:
  // Fragments after the first of an IPv4 datagram, counted until their flow is emitted.
  struct FragmentCounts {
    uint64_t bytes[2] = {0, 0};   // sent by key end a, by end b
    uint32_t packets[2] = {0, 0};
    uint8_t ttl[2] = {0, 0}, tos[2] = {0, 0};  // of each end's last fragment
    int64_t first_us = 0, last_us = 0;
    uint32_t parent = kNoSlot;    // the flow of the datagram's first fragment, once seen
    bool first_from_a = true;
  };
  struct FragmentKeyHash {
    size_t operator()(const FlowKey& key) const { return key.hash(); }
  };
  struct TimeoutEntry {
    int64_t deadline_us;
    uint32_t slot, ticket;
    bool operator>(const TimeoutEntry& other) const { return deadline_us > other.deadline_us; }
  };
  struct QueueEntry {
    uint32_t slot, ticket;
  };
  // What argus keeps of an RTP flow's headers, per side.
  struct RtpTrack {
    uint32_t ssrc[2] = {0, 0};
    uint16_t seq[2] = {0, 0};
  };

  // The open-addressing index from FlowKey to slot.
  struct IndexEntry {
    uint32_t slot = kNoSlot;
    uint32_t tag = 0;  // the low half of the key's hash; its low bits are the home position
  };
  uint32_t find(const FlowKey& key) const;
  uint32_t find(const FlowKey& key, uint64_t hash) const;
  void insert_index(uint32_t slot, uint64_t hash);
  void place(IndexEntry entry);
  void erase_index(const FlowKey& key);
  void grow_index();

  uint32_t create(const KeyedPacket& keyed, uint64_t hash, int64_t now_us);
  void destroy(uint32_t slot);
  void end_least_recent(uint32_t keep_slot, int64_t now_us);
  void enqueue(uint32_t slot, int64_t now_us);
  void scan(int64_t now_us);
  void report(uint32_t slot, int64_t now_us);
  void emit(uint32_t slot);
  void start_new_record(uint32_t slot);
  int64_t idle_timeout_us(const FlowState& flow) const;

  void follow_rtp(uint32_t slot, int side, const PacketView& packet);
  void note_dns(uint32_t slot, const PacketView& packet);
  void update_tcp(uint32_t slot, const PacketView& packet, int& side, bool new_flow, int64_t now_us);
  void count_packet(uint32_t slot, int side, const PacketView& packet, int64_t now_us);
  void note_icmp(FlowState& flow, const PacketView& packet);
  void note_icmp_error(const PacketView& packet, int64_t now_us);
  void add_fragment(const KeyedPacket& keyed, const PacketView& packet, int64_t now_us);
  void link_first_fragment(uint32_t slot, const PacketView& packet);
  void merge_fragments(uint32_t slot, FlowState& flow);
  void emit_orphan(const FlowKey& key, const FragmentCounts& counts);
  void expire_orphan_fragments(int64_t now_us);

  FlowTableOptions options_;
  FlowRecordCallback emit_;
  SlotPool<FlowState> flows_;
  SlotPool<TcpTracker> tcp_;
  SlotArray<ExtendedCounters> extended_;  // at the flows' slots, with --fields extended
  std::vector<IndexEntry> index_;  // size a power of two
  size_t index_used_ = 0;
  std::deque<QueueEntry> status_queue_;  // argus's FIFO status queue
  std::priority_queue<TimeoutEntry, std::vector<TimeoutEntry>, std::greater<>> timeouts_;
  std::unordered_map<FlowKey, FragmentCounts, FragmentKeyHash> fragments_;
  std::unordered_map<uint32_t, std::vector<FlowKey>> fragments_by_parent_;
  std::deque<std::pair<int64_t, FlowKey>> fragment_queue_;  // (first seen, key), in arrival order
  std::unordered_map<uint32_t, RtpTrack> rtp_;  // by slot, for flows classified RTP
  std::unordered_map<uint32_t, FlowDns> dns_;   // by slot, for UDP flows with DNS messages
  uint64_t ended_early_ = 0, ended_active_ = 0;
  // Tickets count up across all flow objects, so that a queue entry of a destroyed flow never
  // matches the flow that reuses its slot (a reused slot starts from a fresh FlowState).
  uint32_t last_ticket_ = 0;
  int64_t last_scan_us_ = 0;
  bool scanned_ = false;
  bool in_protocol_ = true;  // argus's modeler-wide "in protocol" flag (ARGUS-NOTES §10)
};

}  // namespace botd
