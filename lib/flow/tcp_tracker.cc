#include "flow/tcp_tracker.h"

#include <algorithm>

#include "capture/packet.h"

namespace botd {
namespace {
constexpr uint8_t kSyn = tcp_flag::syn, kAck = tcp_flag::ack, kFin = tcp_flag::fin, kRst = tcp_flag::rst,
                  kPsh = tcp_flag::psh, kUrg = tcp_flag::urg;
}

TcpOutcome TcpTracker::update(int side, const TcpSegment& segment, bool first_of_record, bool& in_protocol) {
  if (first_of_record || state_ == TcpState::none) {
    start(side, segment);
    return TcpOutcome::same_record;
  }
  if (state_ == TcpState::listen) {  // RESET-FIRST: only a SYN matters, and it re-opens
    if (segment.flags & kSyn) return TcpOutcome::reopen;
    sides_[side].flags |= segment.flags;
    return TcpOutcome::same_record;
  }
  if (segment.window_scale >= 0) sides_[side].window_shift = uint8_t(segment.window_scale);
  sides_[side].flags |= segment.flags;
  track_sequence(side, segment, in_protocol);
  const TcpState next = next_state(side, segment);
  if (next == TcpState::listen) {
    if (segment.flags == kSyn) return TcpOutcome::reopen_flags_in_old_record;
  } else if (closed() && !(status_ & tcp_status::reset)) {
    status_ |= tcp_status::normal_close;
  }
  return TcpOutcome::same_record;
}

void TcpTracker::start_new_record() {
  sides_[0].flags = sides_[1].flags = 0;
}

void TcpTracker::reset_connection() { *this = TcpTracker{}; }

void TcpTracker::count_retransmission(Side& side) {
  ++side.retransmissions;
  side.status |= tcp_status::retransmitted;
}

// The first packet of a record decides the initial state (ARGUS-NOTES §8.2, first table).
void TcpTracker::start(int side, const TcpSegment& segment) {
  Side& self = sides_[side];
  Side& peer = sides_[1 - side];
  const uint8_t flags = segment.flags;
  if (segment.window_scale >= 0) self.window_shift = uint8_t(segment.window_scale);
  self.flags |= flags;
  if (flags & kRst) {
    status_ |= tcp_status::reset;
    self.status |= tcp_status::reset;
    state_ = TcpState::listen;
    self.set_seq_base(segment.seq ? segment.seq - 1 : segment.ack - 1);
    self.seq = segment.seq ? segment.seq + segment.payload_len : segment.ack - 1;
    peer.ack = segment.ack - 1;
    return;
  }
  switch (flags & (kSyn | kAck | kFin | kPsh | kUrg)) {
    case kSyn:
      status_ |= tcp_status::saw_syn;
      state_ = TcpState::syn_sent;
      self.set_seq_base(segment.seq);
      self.seq = segment.seq;
      self.window = segment.window;
      return;
    case kSyn | kAck:
      status_ |= tcp_status::saw_syn_ack;
      state_ = TcpState::syn_received;
      self.set_seq_base(segment.seq);
      self.seq = segment.seq;
      self.window = segment.window;
      peer.ack = segment.ack - 1;
      return;
    case kAck: case kPsh | kAck: case kUrg | kAck: case kPsh | kUrg | kAck:
      peer.ack = segment.ack - 1;
      [[fallthrough]];
    case kPsh: case kUrg: case kPsh | kUrg:
      status_ |= tcp_status::established;
      state_ = TcpState::established;
      break;
    case kFin: case kFin | kAck:
      status_ |= tcp_status::fin;
      state_ = TcpState::fin_wait_1;
      break;
    default:
      status_ |= tcp_status::established;
      state_ = TcpState::closing;
      break;
  }
  self.set_seq_base(segment.seq - 1);
  self.seq = segment.seq + segment.payload_len;
  self.window = segment.window;
}

// argus's sequence tracking: it decides retransmissions and whether a segment was "in
// protocol" (active). Comparisons are plain unsigned ones, as argus makes them.
void TcpTracker::track_sequence(int side, const TcpSegment& segment, bool& in_protocol) {
  const uint8_t flags = segment.flags;
  if (flags == kSyn) return;  // a (re)started connection: nothing to track yet
  Side& self = sides_[side];
  Side& peer = sides_[1 - side];
  const uint32_t seq = segment.seq, len = segment.payload_len, end_seq = seq + len;

  in_protocol = true;
  if (segment.window == 0 && !(flags & (kFin | kRst))) {
    self.status |= tcp_status::window_shut;
    in_protocol = false;
  } else if (!(flags & (kFin | kRst))) {
    self.window = segment.window;
  }

  if (len != 0 && peer.window != 0) {
    if (self.window_bytes == 0) in_protocol = false;  // the first data after an ACK
    if (self.flags & kFin) {
      if (seq < self.seq) count_retransmission(self);
      else if (!(flags & kFin)) self.status |= tcp_status::out_of_order;
    }
    if (!(flags & kSyn)) self.window_bytes += len;
  } else {
    in_protocol = false;
  }

  if (end_seq < seq) {  // the sequence space wrapped
    self.set_seq_base(end_seq);
    self.seq = end_seq;
  } else if (self.status & kSeqBaseZero) {  // the first segment seen from this side
    self.set_seq_base(seq);
    self.seq = end_seq;
  } else if (len != 0) {
    if (peer.window != 0) {
      if (seq < peer.ack) {
        if (peer.ack - seq < uint32_t(self.window >> self.window_shift)) {
          count_retransmission(self);
          self.window_bytes -= len;
          in_protocol = false;
        }
      } else {
        const uint32_t max_seq = std::max(end_seq, self.seq);
        if (self.window != 0) {
          const int ip_id_step = int(segment.ip_id) - int(self.last_ip_id);
          if (self.last_ip_id != 0 && ip_id_step < 0 && ip_id_step > -5000) {
            self.status |= tcp_status::out_of_order;
          } else if (self.window_bytes > (max_seq - 1) - peer.ack) {
            count_retransmission(self);
            self.window_bytes -= len;
            in_protocol = false;
          } else if (end_seq < self.seq) {
            if (seq == peer.ack + 1) {
              count_retransmission(self);
              self.window_bytes -= len;
            } else {
              self.status |= tcp_status::out_of_order;
            }
          }
        }
        self.seq = max_seq;
      }
    }
    self.last_ip_id = segment.ip_id;
  }

  if (segment.ack != 0 && (flags & kAck)) {
    if (self.ack != 0 && peer.seq > self.ack) peer.window_bytes = (peer.seq - 1) - self.ack;
    if (self.ack != segment.ack - 1) {
      if (self.ack == 0 || peer.seq == segment.ack) {
        peer.window_bytes = 0;
      } else if (!(flags & kSyn)) {
        const uint32_t acked = (segment.ack - 1) - self.ack;
        peer.window_bytes -= std::min(peer.window_bytes, acked);
      }
      self.ack = segment.ack - 1;
    }
  }
}

// argus's connection state machine (ARGUS-NOTES §8.2, second table). Returns the next state;
// `listen` means "a SYN re-opens the connection" and leaves the current state as it is.
TcpState TcpTracker::next_state(int side, const TcpSegment& segment) {
  Side& self = sides_[side];
  Side& peer = sides_[1 - side];
  const uint8_t flags = segment.flags;
  TcpState state = state_;
  auto mark = [&](uint16_t bit) {
    status_ |= bit;
    self.status |= bit;
  };

  if (flags & kRst) {
    mark(tcp_status::reset);
    if (state == TcpState::syn_sent) {
      state = peer.seq == self.ack ? TcpState::listen : TcpState::closing;  // a refused SYN may be retried
    } else {
      const uint32_t window = uint32_t(self.window >> self.window_shift);
      state = segment.seq >= self.ack && segment.seq < self.ack + window ? TcpState::closed : TcpState::closing;
    }
  } else {
    switch (state) {
      case TcpState::listen:
      case TcpState::syn_sent:
        if (flags == kSyn) {
          count_retransmission(self);
        } else if (flags == (kSyn | kAck)) {
          state = TcpState::syn_received;
          mark(tcp_status::saw_syn_ack);
        } else if (flags & kFin) {
          state = TcpState::fin_wait_1;
          mark(tcp_status::fin);
        } else if (flags & kAck) {
          state = TcpState::established;
          mark(tcp_status::established);
        }
        break;
      case TcpState::syn_received:
        if (flags & kFin) {
          state = TcpState::fin_wait_1;
          mark(tcp_status::fin);
        } else if (!(flags & kSyn)) {
          if (flags & kAck) {
            state = TcpState::established;
            mark(tcp_status::established);
          }
        } else {
          count_retransmission(self);
        }
        break;
      case TcpState::established:
        if (flags & kFin) {
          state = TcpState::fin_wait_1;
          mark(tcp_status::fin);
        } else if (flags & kSyn) {
          if (flags & kAck) status_ |= tcp_status::saw_syn_ack | tcp_status::established;
          count_retransmission(self);
        }
        break;
      case TcpState::close_wait:
      case TcpState::fin_wait_1:
        if ((flags & kSyn) && !(flags & kAck)) {
          state = TcpState::listen;
          break;
        }
        [[fallthrough]];
      case TcpState::last_ack:
      case TcpState::fin_wait_2:
        if (flags & kFin) {
          if (!(flags & kAck)) {
            if (peer.status & tcp_status::fin_acked) count_retransmission(self);
          } else {
            mark(tcp_status::fin);
          }
        }
        if ((flags & kAck) && segment.payload_len == 0 && (peer.status & tcp_status::fin) && peer.seq == self.ack) {
          state = TcpState::fin_wait_2;
          status_ |= tcp_status::fin_acked;
          peer.status |= tcp_status::fin_acked;
        }
        break;
      case TcpState::closing:
      case TcpState::time_wait:
        if ((flags & kSyn) && !(flags & kAck)) state = TcpState::listen;
        else if ((flags & kAck) && self.seq == self.ack && peer.seq == self.ack) state = TcpState::closed;
        break;
      case TcpState::closed:
        if ((flags & kSyn) && !(flags & kAck)) state = TcpState::listen;
        break;
      case TcpState::none:
        break;
    }
  }
  if (state != TcpState::listen) state_ = state;
  return state;
}

}  // namespace botd
