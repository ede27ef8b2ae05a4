// tcp_session.cc — TCP connection model (see tcp_session.h).
#include "tcp_session.h"

#include <algorithm>

#include "packet_builder.h"

namespace synth {
namespace {

constexpr int kInitialCongestionWindow = 10;  // segments
constexpr int kMaxSegmentsPerRound = 40;      // stays below every receive window used here
constexpr size_t kFrameOverhead = 54;         // Ethernet + IPv4 + TCP headers

}  // namespace

TcpStack stack_for(Os os) {
  TcpStack s;
  switch (os) {
    case Os::kLinux:
      s = {64240, 7, 1460, true, 64256, 40 * kMillisecond};
      break;
    case Os::kWindows:
      s = {64240, 8, 1460, true, 131328, 200 * kMillisecond};
      break;
    case Os::kWindowsXp:
      s = {65535, -1, 1460, true, 65535, 200 * kMillisecond};
      break;
  }
  return s;
}

TcpStack random_server_stack(Rng& rng) {
  static const std::vector<uint16_t> kSynWindows = {65535, 64240, 29200, 28960, 65160};
  static const std::vector<uint16_t> kMss = {1460, 1460, 1460, 1440, 1400, 1380};
  TcpStack s;
  s.syn_window = rng.pick(kSynWindows);
  s.window_scale = static_cast<int>(rng.between(7, 9));
  s.mss = rng.pick(kMss);
  s.sack_permitted = rng.chance(0.9);
  s.receive_window = static_cast<uint32_t>(rng.between(64, 255)) * 1024;
  s.delayed_ack = 40 * kMillisecond;
  return s;
}

TcpSession::TcpSession(Capture& capture, Rng& rng, const TcpEndpoint& client, const TcpEndpoint& server)
    : capture_(capture), rng_(rng) {
  ends_[kClient].endpoint = client;
  ends_[kServer].endpoint = server;
  for (EndState& e : ends_) {
    e.isn = rng_.next32();
    e.snd_nxt = e.isn;
  }
  ends_[kClient].link_bits_per_us = rng_.uniform(20.0, 100.0);   // uplink
  ends_[kServer].link_bits_per_us = rng_.uniform(30.0, 200.0);   // downlink
}

Micros TcpSession::processing_delay(int side) {
  return side == kClient ? rng_.between(15, 80) : rng_.between(30, 300);
}

Micros TcpSession::serialization_time(int side, size_t payload_length) const {
  const double bits = static_cast<double>((payload_length + kFrameOverhead) * 8);
  return std::max<Micros>(1, static_cast<Micros>(bits / ends_[side].link_bits_per_us));
}

Micros TcpSession::round_trip() const {
  return 2 * (ends_[kClient].endpoint.peer.one_way_delay + ends_[kServer].endpoint.peer.one_way_delay);
}

Bytes TcpSession::syn_options(int side, bool is_syn_ack) const {
  const TcpStack& own = ends_[side].endpoint.stack;
  const TcpStack& client = ends_[kClient].endpoint.stack;
  const bool sack = own.sack_permitted && (!is_syn_ack || client.sack_permitted);
  const bool scale = own.window_scale >= 0 && (!is_syn_ack || client.window_scale >= 0);
  // MSS, then NOP NOP SACK_PERM, then NOP WS: 4 bytes each.
  uint8_t options[12] = {2, 4, static_cast<uint8_t>(own.mss >> 8), static_cast<uint8_t>(own.mss)};
  size_t length = 4;
  auto append = [&options, &length](uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
    options[length++] = a;
    options[length++] = b;
    options[length++] = c;
    options[length++] = d;
  };
  if (sack) append(1, 1, 4, 2);
  if (scale) append(1, 3, 3, static_cast<uint8_t>(own.window_scale));
  return Bytes(options, options + length);
}

void TcpSession::set_window_fields() {
  const bool scaling = ends_[kClient].endpoint.stack.window_scale >= 0 && ends_[kServer].endpoint.stack.window_scale >= 0;
  for (EndState& e : ends_) {
    const uint32_t window = e.endpoint.stack.receive_window;
    e.window_field = static_cast<uint16_t>(
        scaling ? std::min<uint32_t>(window >> e.endpoint.stack.window_scale, 65535) : std::min<uint32_t>(window, 65535));
  }
}

Micros TcpSession::emit(int side, Micros world_time, uint8_t flags, std::span<const uint8_t> payload,
                        std::span<const uint8_t> options, int window) {
  EndState& from = ends_[side];
  const EndState& to = ends_[1 - side];
  const Micros captured = std::max(capture_time(side, world_time), from.last_capture_time + 1);
  from.last_capture_time = captured;

  TcpHeader tcp;
  tcp.src_port = from.endpoint.port;
  tcp.dst_port = to.endpoint.port;
  tcp.seq = from.snd_nxt;
  tcp.ack = (flags & tcp_flag::kAck) ? from.rcv_nxt : 0;
  tcp.flags = flags;
  tcp.window = static_cast<uint16_t>(window >= 0 ? window : from.window_field);
  tcp.options = options;
  capture_.add(captured, tcp_frame(ip_header(from.endpoint.peer, to.endpoint.peer, true), tcp, payload));

  from.snd_nxt += static_cast<uint32_t>(payload.size());
  if (flags & (tcp_flag::kSyn | tcp_flag::kFin)) from.snd_nxt += 1;
  if (flags & tcp_flag::kAck) from.unacked_segments = 0;
  return captured;
}

Micros TcpSession::connect(Micros t, SynOutcome outcome) {
  EndState& client = ends_[kClient];
  EndState& server = ends_[kServer];
  const Bytes client_options = syn_options(kClient, false);
  const Micros syn_captured = emit(kClient, t, tcp_flag::kSyn, {}, client_options, client.endpoint.stack.syn_window);

  if (outcome == SynOutcome::kUnanswered) {
    for (Micros retry : {1 * kSecond, 3 * kSecond}) {
      client.snd_nxt = client.isn;
      emit(kClient, t + retry, tcp_flag::kSyn, {}, client_options, client.endpoint.stack.syn_window);
    }
    open_ = false;
    return t + 3 * kSecond;
  }

  server.rcv_nxt = client.isn + 1;
  const Micros at_server = arrival_time(kServer, syn_captured);
  if (outcome == SynOutcome::kRefused) {
    server.snd_nxt = 0;
    const Micros rst_captured = emit(kServer, at_server + processing_delay(kServer), tcp_flag::kRst | tcp_flag::kAck,
                                     {}, {}, 0);
    open_ = false;
    return arrival_time(kClient, rst_captured);
  }

  const Bytes server_options = syn_options(kServer, true);
  const Micros synack_captured = emit(kServer, at_server + processing_delay(kServer), tcp_flag::kSyn | tcp_flag::kAck,
                                      {}, server_options, server.endpoint.stack.syn_window);
  client.rcv_nxt = server.isn + 1;
  set_window_fields();
  const Micros ack_time = arrival_time(kClient, synack_captured) + processing_delay(kClient);
  emit(kClient, ack_time, tcp_flag::kAck);
  open_ = true;
  return ack_time;
}

void TcpSession::assume_established() {
  ends_[kClient].snd_nxt = ends_[kClient].isn + 1 + rng_.next32() % 100000;
  ends_[kServer].snd_nxt = ends_[kServer].isn + 1 + rng_.next32() % 1000000;
  ends_[kClient].rcv_nxt = ends_[kServer].snd_nxt;
  ends_[kServer].rcv_nxt = ends_[kClient].snd_nxt;
  set_window_fields();
  open_ = true;
}

Micros TcpSession::receive_data(int side, Micros arrival, uint32_t length) {
  EndState& e = ends_[side];
  flush_delayed_ack(side, arrival);
  e.rcv_nxt += length;
  if (++e.unacked_segments == 1) e.first_unacked_arrival = arrival;
  if (e.unacked_segments < 2) return -1;
  const Micros ack_time = arrival + processing_delay(side);
  emit(side, ack_time, tcp_flag::kAck);
  return ack_time;
}

void TcpSession::flush_delayed_ack(int side, Micros now) {
  EndState& e = ends_[side];
  if (e.unacked_segments == 0) return;
  const Micros due = e.first_unacked_arrival + e.endpoint.stack.delayed_ack;
  if (due <= now) emit(side, due, tcp_flag::kAck);
}

void TcpSession::flush_delayed_acks(Micros t) {
  flush_delayed_ack(kClient, t);
  flush_delayed_ack(kServer, t);
}

Micros TcpSession::send(Side from, Micros t, std::span<const uint8_t> data) {
  const int sender = static_cast<int>(from);
  const int receiver = 1 - sender;
  flush_delayed_ack(sender, t);
  const size_t mss = std::min(ends_[kClient].endpoint.stack.mss, ends_[kServer].endpoint.stack.mss);

  int window_segments = kInitialCongestionWindow;
  size_t offset = 0;
  Micros round_start = t;
  Micros receiver_has_all = t;
  while (offset < data.size()) {
    Micros segment_time = round_start;
    Micros last_ack_back = round_start;
    for (int i = 0; i < window_segments && offset < data.size(); ++i) {
      const size_t length = std::min(mss, data.size() - offset);
      const bool last = offset + length == data.size();
      const uint8_t flags = tcp_flag::kAck | (last ? tcp_flag::kPsh : 0);
      const Micros captured = emit(sender, segment_time, flags, data.subspan(offset, length));
      const Micros arrival = arrival_time(receiver, captured);
      const Micros ack_time = receive_data(receiver, arrival, static_cast<uint32_t>(length));
      if (ack_time >= 0) last_ack_back = std::max(last_ack_back, arrival_time(sender, capture_time(receiver, ack_time)));
      receiver_has_all = arrival;
      segment_time += serialization_time(sender, length);
      offset += length;
    }
    round_start = std::max(segment_time, last_ack_back);
    window_segments = std::min(window_segments * 2, kMaxSegmentsPerRound);
  }
  return receiver_has_all;
}

Micros TcpSession::close(Side initiator, Micros t) {
  const int closer = static_cast<int>(initiator);
  const int peer = 1 - closer;
  flush_delayed_ack(closer, t);
  const Micros fin_captured = emit(closer, t, tcp_flag::kFin | tcp_flag::kAck);
  const Micros at_peer = arrival_time(peer, fin_captured);
  flush_delayed_ack(peer, at_peer);
  ends_[peer].rcv_nxt += 1;

  Micros peer_fin_time = at_peer + processing_delay(peer);
  if (rng_.chance(0.3)) {  // ACK the FIN first, close a little later
    emit(peer, peer_fin_time, tcp_flag::kAck);
    peer_fin_time += rng_.between(200, 20000);
  }
  const Micros peer_fin_captured = emit(peer, peer_fin_time, tcp_flag::kFin | tcp_flag::kAck);
  ends_[closer].rcv_nxt += 1;
  const Micros last_ack = arrival_time(closer, peer_fin_captured) + processing_delay(closer);
  emit(closer, last_ack, tcp_flag::kAck);
  open_ = false;
  return last_ack;
}

void TcpSession::reset(Side from, Micros t) {
  const int sender = static_cast<int>(from);
  emit(sender, t, tcp_flag::kRst | tcp_flag::kAck, {}, {}, 0);
  open_ = false;
}

}  // namespace synth
