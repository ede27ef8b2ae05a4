// TcpTracker: argus's model of one TCP connection (ARGUS-NOTES §4, §5.1, §8.2, §10), from
// the packets of both sides: the connection state machine, the per-side sequence tracking
// it relies on, and what a record needs from it — flags per side, whether a SYN or SYN-ACK
// was seen, whether a packet counts as "in protocol" (active) for the jitter statistics, and
// retransmissions. argus's quirks are kept on purpose (sequence numbers tracked only on
// payload, a window shifted right by its scale, ...): botd's flows must be argus's.
//
// Sides are 0 (the record's source) and 1 (its destination). All sequence arithmetic is
// modulo 2^32, as in argus.
#pragma once

#include <cstdint>

namespace botd {

namespace tcp_status {  // argus's status bits, for the connection and per side
constexpr uint16_t saw_syn = 0x1, saw_syn_ack = 0x2, established = 0x4, fin = 0x8, fin_acked = 0x10,
                   normal_close = 0x20, reset = 0x40, retransmitted = 0x80, window_shut = 0x100,
                   out_of_order = 0x200;
}

enum class TcpState : uint8_t {
  none,  // no packet yet in this record's connection
  listen,  // the record began with a RST (argus's RESET-FIRST): only a SYN changes anything
  syn_sent, syn_received, established, close_wait, fin_wait_1, fin_wait_2, closing, last_ack, time_wait, closed,
};

struct TcpSegment {
  uint8_t flags = 0;
  uint32_t seq = 0, ack = 0;
  uint16_t window = 0;
  int8_t window_scale = -1;  // from a SYN's options
  uint32_t payload_len = 0;
  uint16_t ip_id = 0;
};

enum class TcpOutcome : uint8_t {
  same_record,
  // The segment re-opens the connection: the current record ends before it, and it is the
  // first packet of the next. With `flags_in_old_record`, argus has already added its flags
  // to the old record's side (the split out of the state machine, not out of RESET-FIRST).
  reopen,
  reopen_flags_in_old_record,
};

class TcpTracker {
 public:
  // Takes one segment sent by `side`. `first_of_record` for the first packet of a new record
  // of a new (or re-opened) connection. `in_protocol` is argus's sticky modeler-wide flag:
  // updated here as argus does, read by the caller for the jitter statistics.
  TcpOutcome update(int side, const TcpSegment& segment, bool first_of_record, bool& in_protocol);

  // A new record after a status report: flags restart, the connection goes on.
  void start_new_record();
  // Swaps the roles of the two sides (a re-open by the former destination).
  void reset_connection();

  uint8_t flags(int side) const { return sides_[side].flags; }
  void add_flags(int side, uint8_t flags) { sides_[side].flags |= flags; }
  uint16_t status() const { return status_; }
  TcpState state() const { return state_; }
  uint32_t retransmissions(int side) const { return sides_[side].retransmissions; }
  bool closed() const { return state_ == TcpState::closed || state_ == TcpState::time_wait; }
  // SYN or SYN-ACK seen in this connection (what makes Dir "->" rather than "<?>").
  bool saw_syn() const { return status_ & (tcp_status::saw_syn | tcp_status::saw_syn_ack); }

 private:
  struct Side {
    uint32_t seq = 0, ack = 0, window_bytes = 0, retransmissions = 0;
    uint16_t window = 0, last_ip_id = 0;
    // Status bits; argus also tests its "sequence base" only for zero, so that is a bit too.
    uint16_t status = kSeqBaseZero;
    uint8_t flags = 0, window_shift = 0;
    void set_seq_base(uint32_t value) {
      status = uint16_t(value == 0 ? status | kSeqBaseZero : status & ~kSeqBaseZero);
    }
  };
  static constexpr uint16_t kSeqBaseZero = 0x8000;

  void start(int side, const TcpSegment& segment);
  void track_sequence(int side, const TcpSegment& segment, bool& in_protocol);
  TcpState next_state(int side, const TcpSegment& segment);
  void count_retransmission(Side& side);

  Side sides_[2];
  uint16_t status_ = 0;
  TcpState state_ = TcpState::none;
};

}  // namespace botd
