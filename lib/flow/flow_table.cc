#include "flow/flow_table.h"

#include <algorithm>

#include "capture/dns_message.h"
#include "flow/flow_formatter.h"

namespace botd {
namespace {

constexpr int64_t kScanInterval_us = 200'000;  // argus scans its queues at most every 0.2 s
constexpr int64_t kSecond_us = 1'000'000;
constexpr int64_t kMaxGap_us = 2 * 3600 * kSecond_us;  // gaps of twice the status interval or more are ignored

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

constexpr size_t kRtpHeader = 12;

// The payload of a UDP flow's first packet, as argus classifies it (ARGUS-NOTES §9): a whole
// RTP version 2 header between non-well-known ports (not AFS's 7000-7010) is RTP, or RTCP
// when it holds a sender or receiver report longer than a bare header.
UdpApplication classify_udp(const PacketView& packet) {
  if (packet.sport < 1024 || packet.dport < 1024) return UdpApplication::none;
  if ((packet.sport >= 7000 && packet.sport <= 7010) || (packet.dport >= 7000 && packet.dport <= 7010))
    return UdpApplication::none;
  const auto payload = packet.payload;
  if (payload.size() < kRtpHeader || (payload[0] >> 6) != 2) return UdpApplication::none;
  // RTCP: a version 2 sender or receiver report among the compound's blocks that are captured
  // whole to argus's 12-byte block header.
  for (size_t at = 0; at + kRtpHeader <= payload.size();) {
    if ((payload[at] >> 6) == 2 && (payload[at + 1] == 200 || payload[at + 1] == 201)) return UdpApplication::rtcp;
    const size_t block = (size_t(payload[at + 2] << 8 | payload[at + 3]) << 2) + 4;
    if (block <= 4) break;
    at += block;
  }
  return UdpApplication::rtp;
}

uint32_t rtp_ssrc(std::span<const uint8_t> rtp) {
  return uint32_t(rtp[8]) << 24 | uint32_t(rtp[9]) << 16 | uint32_t(rtp[10]) << 8 | rtp[11];
}

TcpSegment segment_of(const PacketView& packet) {
  TcpSegment segment;
  segment.flags = packet.tcp_flags;
  segment.seq = packet.tcp_seq;
  segment.ack = packet.tcp_ack;
  segment.window = packet.tcp_window;
  segment.window_scale = packet.tcp_window_scale;
  segment.payload_len = packet.payload_len;
  // argus keeps the IP id as the raw 16 bits read on a little-endian host.
  segment.ip_id = packet.network == Network::ipv4 ? uint16_t(packet.ip_id << 8 | packet.ip_id >> 8) : 0;
  return segment;
}

// For IPv6, argus's "TOS" comes out of the flow label's low 12 bits, not the traffic class:
// it shifts the wrong half of the first header word (ARGUS-NOTES §6 states the intent).
uint8_t argus_tos(const PacketView& packet) {
  if (packet.network != Network::ipv6) return packet.tos;
  return uint8_t((packet.ipv6_flow_label >> 4) & 0xff);
}

bool is_icmp_request(uint8_t type) { return type == 8 || type == 13 || type == 15 || type == 17; }

}  // namespace

FlowTable::FlowTable(const FlowTableOptions& options, FlowRecordCallback emit)
    : options_(options), emit_(std::move(emit)), index_(1024) {}

// --- the index: open addressing, linear probing, backward-shift deletion ---
//
// An entry holds a slot and the low 32 bits of its key's hash: probing rarely has to touch
// a flow object that is not the one looked for, and growing never has to touch any.

uint32_t FlowTable::find(const FlowKey& key) const { return find(key, key.hash()); }

uint32_t FlowTable::find(const FlowKey& key, uint64_t hash) const {
  const size_t mask = index_.size() - 1;
  const uint32_t tag = uint32_t(hash);
  for (size_t i = tag & mask;; i = (i + 1) & mask) {
    const IndexEntry entry = index_[i];
    if (entry.slot == kNoSlot) return kNoSlot;
    if (entry.tag == tag && flows_[entry.slot].key == key) return entry.slot;
  }
}

void FlowTable::insert_index(uint32_t slot, uint64_t hash) {
  if ((index_used_ + 1) * 10 > index_.size() * 7) grow_index();
  place(IndexEntry{slot, uint32_t(hash)});
  ++index_used_;
}

void FlowTable::place(IndexEntry entry) {
  const size_t mask = index_.size() - 1;
  size_t i = entry.tag & mask;
  while (index_[i].slot != kNoSlot) i = (i + 1) & mask;
  index_[i] = entry;
}

void FlowTable::erase_index(const FlowKey& key) {
  const size_t mask = index_.size() - 1;
  size_t hole = uint32_t(key.hash()) & mask;
  while (!(flows_[index_[hole].slot].key == key)) hole = (hole + 1) & mask;
  index_[hole] = IndexEntry{};
  --index_used_;
  // Move later entries of the same probe run back into the hole.
  for (size_t i = (hole + 1) & mask; index_[i].slot != kNoSlot; i = (i + 1) & mask) {
    const size_t home = index_[i].tag & mask;
    const bool between = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
    if (between) continue;
    index_[hole] = index_[i];
    index_[i] = IndexEntry{};
    hole = i;
  }
}

void FlowTable::reserve(size_t flows) {
  while (flows * 10 > index_.size() * 7) grow_index();
}

void FlowTable::grow_index() {
  std::vector<IndexEntry> old;
  old.swap(index_);
  index_.assign(old.size() * 2, IndexEntry{});
  for (const IndexEntry& entry : old)
    if (entry.slot != kNoSlot) place(entry);
}

// --- flow objects and argus's queues ---

uint32_t FlowTable::create(const KeyedPacket& keyed, uint64_t hash, int64_t now_us) {
  const uint32_t slot = flows_.allocate();
  FlowState& flow = flows_[slot];
  flow.key = keyed.key;
  // The source is the first packet's sender; an ARP flow's is always the requester.
  flow.source_is_a = keyed.key.kind == FlowKind::arp ? true : keyed.from_a;
  // MAC flows print their ends in key order, whoever sent first.
  flow.print_b_first = keyed.key.kind == FlowKind::mac ? false : !flow.source_is_a;
  if (keyed.key.kind == FlowKind::ip && keyed.key.protocol == ip_protocol::tcp) flow.tcp_slot = tcp_.allocate();
  if (options_.extended) extended_.at(slot) = ExtendedCounters{};
  insert_index(slot, hash);
  enqueue(slot, now_us);
  return slot;
}

void FlowTable::destroy(uint32_t slot) {
  FlowState& flow = flows_[slot];
  erase_index(flow.key);
  if (flow.tcp_slot != kNoSlot) tcp_.release(flow.tcp_slot);
  // The side tables are asked only for the flows that have an entry there: a hash lookup per
  // flow was half of emit()'s time.
  if (flow.application == UdpApplication::rtp) rtp_.erase(slot);
  if (flow.has_dns) dns_.erase(slot);
  flow.ticket = ++last_ticket_;  // invalidates its queue entries
  flows_.release(slot);
}

// Over max_flows: the least recently active flows (not `keep_slot`, the one just made) end
// now. A sixteenth at a time, so the scan over every live flow happens once per
// max_flows / 16 new flows.
void FlowTable::end_least_recent(uint32_t keep_slot, int64_t now_us) {
  std::vector<std::pair<int64_t, uint32_t>> by_activity;  // (last packet, or creation; slot)
  by_activity.reserve(flows_.live());
  for (const IndexEntry& entry : index_) {
    if (entry.slot == kNoSlot || entry.slot == keep_slot) continue;
    const FlowState& flow = flows_[entry.slot];
    by_activity.emplace_back(flow.has_packets() ? flow.last_us() : flow.queued_us, entry.slot);
  }
  const size_t ending = std::min(by_activity.size(), std::max<size_t>(1, options_.max_flows / 16));
  std::nth_element(by_activity.begin(), by_activity.begin() + ptrdiff_t(ending), by_activity.end());
  by_activity.resize(ending);
  std::sort(by_activity.begin(), by_activity.end());  // records out in the order they went idle
  for (const auto& [last_us, slot] : by_activity) {
    ended_active_ += now_us - last_us < idle_timeout_us(flows_[slot]);
    emit(slot);
    destroy(slot);
  }
  ended_early_ += ending;
}

void FlowTable::enqueue(uint32_t slot, int64_t now_us) {
  FlowState& flow = flows_[slot];
  flow.queued_us = now_us;
  flow.reported = false;
  status_queue_.push_back({slot, flow.ticket = ++last_ticket_});
}

int64_t FlowTable::idle_timeout_us(const FlowState& flow) const {
  switch (flow.key.kind) {
    case FlowKind::icmp:
    case FlowKind::icmpv6:
    case FlowKind::arp:
    case FlowKind::fragment: return 5 * kSecond_us;
    default: break;
  }
  if (flow.tcp_slot != kNoSlot) return (tcp_[flow.tcp_slot].closed() ? 10 : 60) * kSecond_us;
  return 30 * kSecond_us;
}

// argus's periodic queue scan: flows idle past their timeout after a report are deleted;
// records that reached the status interval are reported.
void FlowTable::scan(int64_t now_us) {
  last_scan_us_ = now_us;
  scanned_ = true;
  while (!timeouts_.empty() && timeouts_.top().deadline_us <= now_us) {
    const TimeoutEntry entry = timeouts_.top();
    timeouts_.pop();
    if (flows_[entry.slot].ticket == entry.ticket && flows_[entry.slot].reported) destroy(entry.slot);
  }
  while (!status_queue_.empty()) {
    const QueueEntry entry = status_queue_.front();
    FlowState& flow = flows_[entry.slot];
    if (flow.ticket != entry.ticket || flow.reported) {
      status_queue_.pop_front();
      continue;
    }
    if (now_us - flow.queued_us < options_.status_interval_us) break;
    status_queue_.pop_front();
    report(entry.slot, now_us);
  }
  expire_orphan_fragments(now_us);
}

// A status report: the record goes out, the object waits in the timeout queue.
void FlowTable::report(uint32_t slot, int64_t now_us) {
  FlowState& flow = flows_[slot];
  const int64_t last_packet = flow.has_packets() ? flow.last_us() : now_us;
  emit(slot);
  start_new_record(slot);
  flow.reported = true;
  timeouts_.push({last_packet + idle_timeout_us(flow), slot, flow.ticket = ++last_ticket_});
}

void FlowTable::start_new_record(uint32_t slot) {
  FlowState& flow = flows_[slot];
  for (SideCounters& side : flow.side) {
    side.bytes = 0;
    side.packets = 0;
  }
  flow.continuation = true;
  if (flow.has_dns) dns_.erase(slot);
  flow.has_dns = false;
  if (flow.tcp_slot != kNoSlot) tcp_[flow.tcp_slot].start_new_record();
  if (options_.extended) extended_.at(slot).start_new_record();
}

void FlowTable::emit(uint32_t slot) {
  FlowState flow = flows_[slot];
  merge_fragments(slot, flow);
  if (!flow.has_packets()) return;
  FlowRecord record = format_flow(flow, flow.tcp_slot != kNoSlot ? &tcp_[flow.tcp_slot] : nullptr,
                                  options_.extended ? &extended_.at(slot) : nullptr);
  if (flow.has_dns) record.dns = dns_.at(slot);
  emit_(std::move(record));
}

// --- packets ---

void FlowTable::add(const PacketView& packet) {
  const std::optional<KeyedPacket> keyed = key_packet(packet);
  add(packet, keyed, keyed ? keyed->key.hash() : 0);
}

void FlowTable::add(const PacketView& packet, const std::optional<KeyedPacket>& keyed, uint64_t hash) {
  const int64_t now_us = floor_div(packet.time_ns, 1000);  // argus keeps microseconds
  in_protocol_ = true;  // only TCP's sequence tracking makes a packet idle
  if (!scanned_ || now_us - last_scan_us_ >= kScanInterval_us) scan(now_us);
  if (packet.has_icmp_quote && packet.network == Network::ipv4) note_icmp_error(packet, now_us);

  if (!keyed) return;
  if (keyed->key.kind == FlowKind::fragment) return add_fragment(*keyed, packet, now_us);

  uint32_t slot = find(keyed->key, hash);
  const bool new_flow = slot == kNoSlot;
  if (new_flow) {
    slot = create(*keyed, hash, now_us);
    if (options_.max_flows && flows_.live() > options_.max_flows) end_least_recent(slot, now_us);
  } else if (flows_[slot].reported) {
    enqueue(slot, now_us);  // revived before its timeout: the continuation record goes on
  } else if (now_us - flows_[slot].queued_us >= options_.status_interval_us) {
    emit(slot);  // the status interval ends the record; this packet starts the next
    start_new_record(slot);
    enqueue(slot, now_us);
  }
  FlowState& flow = flows_[slot];
  int side = flow.side_of(keyed->from_a);
  if (flow.key.kind == FlowKind::ip && flow.key.protocol == ip_protocol::udp) {
    if (new_flow) {
      flow.application = classify_udp(packet);
      if (flow.application == UdpApplication::rtp) rtp_[slot] = RtpTrack{};
    }
    if (flow.application == UdpApplication::rtp) follow_rtp(slot, side, packet);
    if (packet.sport == 53 || packet.dport == 53) note_dns(slot, packet);
  }
  if (flow.tcp_slot != kNoSlot && packet.has_tcp) update_tcp(slot, packet, side, new_flow, now_us);
  FlowState& current = flows_[slot];
  if (current.key.kind == FlowKind::icmp) note_icmp(current, packet);
  count_packet(slot, side, packet, now_us);
  if (packet.is_fragment && packet.fragment_offset == 0 && packet.network == Network::ipv4)
    link_first_fragment(slot, packet);
}

// argus keeps a flow RTP while each side's version 2 packets keep their first SSRC (and a
// sane extension length); otherwise it becomes plain UDP again.
void FlowTable::follow_rtp(uint32_t slot, int side, const PacketView& packet) {
  const auto rtp = packet.payload;
  if (packet.payload_len == 0 || rtp.size() < kRtpHeader || (rtp[0] >> 6) != 2) return;
  RtpTrack& track = rtp_[slot];
  const uint16_t seq = uint16_t(rtp[2] << 8 | rtp[3]);
  const uint32_t ssrc = rtp_ssrc(rtp);
  if (track.seq[side] == 0) {  // nothing kept for this side yet (argus tests the sequence number)
    track.seq[side] = seq;
    track.ssrc[side] = ssrc;
    return;
  }
  bool still_rtp = ssrc != 0 && ssrc == track.ssrc[side];
  if (still_rtp && (rtp[0] & 0x10) && rtp.size() >= kRtpHeader + 4) {
    const uint32_t extension_len = uint32_t(rtp[13] << 8 | rtp[12]);  // read in host order, as argus does
    still_rtp = extension_len <= packet.payload_len && extension_len + 4 >= packet.payload_len;
  }
  if (!still_rtp) {
    flows_[slot].application = UdpApplication::none;
    rtp_.erase(slot);
    return;
  }
  track.seq[side] = seq;
}

// The DNS messages of a UDP flow on port 53, for the behaviour features (the records that
// ra prints do not show them). A payload that is not DNS counts as nothing.
void FlowTable::note_dns(uint32_t slot, const PacketView& packet) {
  const std::optional<DnsMessage> message = parse_dns(packet.payload);
  if (!message) return;
  FlowDns& dns = dns_[slot];
  flows_[slot].has_dns = true;
  if (!dns.decoded()) dns.name = message->name;
  if (message->response) {
    ++dns.responses;
    dns.nxdomain += message->rcode == kDnsNxdomain;
  } else {
    ++dns.queries;
  }
}

void FlowTable::update_tcp(uint32_t slot, const PacketView& packet, int& side, bool new_flow, int64_t now_us) {
  FlowState& flow = flows_[slot];
  TcpTracker& tcp = tcp_[flow.tcp_slot];
  const TcpSegment segment = segment_of(packet);
  const TcpOutcome outcome = tcp.update(side, segment, new_flow, in_protocol_);
  if (outcome == TcpOutcome::same_record) return;

  // A SYN re-opens the connection. argus has already moved the sender's clock and IP
  // attributes in the old record (ARGUS-NOTES §8.2), which ends here.
  SideCounters& sender = flow.side[side];
  if (sender.packets) sender.last_us = std::max(sender.last_us, now_us);
  sender.ttl = packet.ttl;
  sender.tos = argus_tos(packet);
  sender.has_attributes = true;
  if (outcome == TcpOutcome::reopen_flags_in_old_record) tcp.add_flags(side, packet.tcp_flags);
  emit(slot);
  start_new_record(slot);
  flow.continuation = false;
  // The SYN's sender counts as the new record's source. When that flips the sides, argus
  // clears its REVERSE bit without setting it, so the printed ends follow the key's order
  // (ARGUS-NOTES §3.7); the attribute slots stay where they were.
  if (side == 1) {
    flow.source_is_a = !flow.source_is_a;
    flow.print_b_first = false;
    side = 0;
  }
  tcp.reset_connection();
  tcp.update(side, segment, true, in_protocol_);
  enqueue(slot, now_us);
}

void FlowTable::count_packet(uint32_t slot, int side, const PacketView& packet, int64_t now_us) {
  FlowState& flow = flows_[slot];
  SideCounters& counters = flow.side[side];
  if (counters.packets == 0) {
    counters.first_us = counters.last_us = now_us;
  } else {
    counters.first_us = std::min(counters.first_us, now_us);
    counters.last_us = std::max(counters.last_us, now_us);
  }
  ++counters.packets;
  counters.bytes += packet.flow_bytes;
  if (packet.network == Network::ipv4 || packet.network == Network::ipv6) {
    counters.ttl = packet.ttl;
    counters.tos = argus_tos(packet);
    counters.has_attributes = true;
  }
  if (!options_.extended) return;
  ExtendedSide& stats = extended_.at(slot).side[side];
  const uint16_t size = uint16_t(packet.flow_bytes);  // argus's sizes are 16-bit
  stats.max_size = std::max(stats.max_size, size);
  stats.min_size = std::min(stats.min_size, size);
  if (stats.last_packet_us > 0 && now_us > stats.last_packet_us) {
    const int64_t gap = now_us - stats.last_packet_us;
    if (gap < kMaxGap_us) {
      GapStats& gaps = in_protocol_ ? stats.active : stats.idle;
      ++gaps.count;
      gaps.sum_us += float(gap);
      gaps.sum_squares += double(gap) * double(gap);
    }
  }
  if (now_us > stats.last_packet_us) stats.last_packet_us = now_us;
}

// ICMP records take the type of their first packet; a later request overrides it, and a
// reply sets argus's "in protocol" flag.
void FlowTable::note_icmp(FlowState& flow, const PacketView& packet) {
  if (!flow.has_packets()) {
    flow.icmp_type = packet.icmp_type;
    flow.icmp_code = packet.icmp_code;
  } else if (is_icmp_request(packet.icmp_type)) {
    flow.icmp_type = packet.icmp_type;
  }
  const uint8_t type = packet.icmp_type;
  if (type == 0 || type == 14 || type == 16 || type == 18) in_protocol_ = true;
}

// An ICMP error moves the time of the flow it quotes to the error's time (ARGUS-NOTES §2.1).
void FlowTable::note_icmp_error(const PacketView& packet, int64_t now_us) {
  const std::optional<FlowKey> quoted = quoted_flow_key(packet);
  if (!quoted) return;
  const uint32_t slot = find(*quoted);
  if (slot == kNoSlot) return;
  SideCounters& source = flows_[slot].side[0];
  if (source.packets) source.last_us = now_us;
}

// --- IPv4 fragments (ARGUS-NOTES §8.3) ---

void FlowTable::add_fragment(const KeyedPacket& keyed, const PacketView& packet, int64_t now_us) {
  auto [it, inserted] = fragments_.try_emplace(keyed.key);
  FragmentCounts& counts = it->second;
  if (inserted) {
    counts.first_us = counts.last_us = now_us;
    counts.first_from_a = keyed.from_a;
    fragment_queue_.emplace_back(now_us, keyed.key);
  }
  counts.first_us = std::min(counts.first_us, now_us);
  counts.last_us = std::max(counts.last_us, now_us);
  const int end = keyed.from_a ? 0 : 1;
  ++counts.packets[end];
  counts.bytes[end] += packet.flow_bytes;
  counts.ttl[end] = packet.ttl;
  counts.tos[end] = packet.tos;
}

void FlowTable::link_first_fragment(uint32_t slot, const PacketView& packet) {
  PacketView tail = packet;
  tail.fragment_offset = 8;  // the key its later fragments will have
  const std::optional<KeyedPacket> keyed = key_packet(tail);
  if (!keyed) return;
  auto [it, inserted] = fragments_.try_emplace(keyed->key);
  if (inserted) {
    it->second.first_us = it->second.last_us = floor_div(packet.time_ns, 1000);
    it->second.first_from_a = keyed->from_a;
  }
  if (it->second.parent == kNoSlot) {
    it->second.parent = slot;
    fragments_by_parent_[slot].push_back(keyed->key);
    flows_[slot].has_fragments = true;
  }
}

// Adds the later fragments of the flow's datagrams to its record (counts and times, not the
// packet statistics), and forgets them.
void FlowTable::merge_fragments(uint32_t slot, FlowState& flow) {
  if (!flow.has_fragments) return;
  flows_[slot].has_fragments = false;
  auto children = fragments_by_parent_.find(slot);
  if (children == fragments_by_parent_.end()) return;
  for (const FlowKey& fragment_key : children->second) {
    auto it = fragments_.find(fragment_key);
    if (it == fragments_.end()) continue;
    const FragmentCounts& counts = it->second;
    // The fragment key's ends are ordered by address like the flow's (ports aside).
    const bool same_order = it->first.a == flow.key.a;
    for (int end = 0; end < 2; ++end) {
      if (!counts.packets[end]) continue;
      SideCounters& side = flow.side[flow.side_of((end == 0) == same_order)];
      if (!side.packets) side.first_us = side.last_us = counts.first_us;
      side.first_us = std::min(side.first_us, counts.first_us);
      side.last_us = std::max(side.last_us, counts.last_us);
      side.packets += counts.packets[end];
      side.bytes += counts.bytes[end];
    }
    fragments_.erase(it);
  }
  fragments_by_parent_.erase(children);
}

// Fragments whose first fragment never came: a flow of their own, ports 0, Src the sender.
void FlowTable::emit_orphan(const FlowKey& key, const FragmentCounts& counts) {
  FlowState orphan;
  orphan.key = key;
  orphan.source_is_a = counts.first_from_a;
  orphan.print_b_first = !counts.first_from_a;
  for (int end = 0; end < 2; ++end) {
    SideCounters& side = orphan.side[orphan.side_of(end == 0)];
    side.packets = counts.packets[end];
    side.bytes = counts.bytes[end];
    side.first_us = counts.first_us;
    side.last_us = counts.last_us;
    side.ttl = counts.ttl[end];
    side.tos = counts.tos[end];
    side.has_attributes = counts.packets[end] > 0;
  }
  const ExtendedCounters no_statistics;  // fragments are not in argus's packet statistics
  emit_(format_flow(orphan, nullptr, options_.extended ? &no_statistics : nullptr));
}

// Orphan fragments are reported at the status interval like any flow, so that memory does
// not grow with the length of the capture.
void FlowTable::expire_orphan_fragments(int64_t now_us) {
  while (!fragment_queue_.empty() && now_us - fragment_queue_.front().first >= options_.status_interval_us) {
    auto it = fragments_.find(fragment_queue_.front().second);
    fragment_queue_.pop_front();
    if (it == fragments_.end() || it->second.parent != kNoSlot) continue;
    emit_orphan(it->first, it->second);
    fragments_.erase(it);
  }
}

void FlowTable::finish() {
  // The open records go out in argus's order at the end of a capture: by queue time, that
  // is creation, re-open or revival (ARGUS-NOTES §12).
  for (const QueueEntry& entry : status_queue_) {
    const FlowState& flow = flows_[entry.slot];
    if (flow.ticket == entry.ticket && !flow.reported) emit(entry.slot);
  }
  for (const auto& [time_us, key] : fragment_queue_) {
    auto it = fragments_.find(key);
    if (it != fragments_.end() && it->second.parent == kNoSlot) emit_orphan(it->first, it->second);
  }
  // Start over empty, as for a new capture.
  flows_ = {};
  tcp_ = {};
  extended_ = {};
  index_.assign(1024, IndexEntry{});
  index_used_ = 0;
  status_queue_.clear();
  timeouts_ = {};
  rtp_.clear();
  dns_.clear();
  fragments_.clear();
  fragments_by_parent_.clear();
  fragment_queue_.clear();
  scanned_ = false;
  in_protocol_ = true;
}

}  // namespace botd
