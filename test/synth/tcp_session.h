// tcp_session.h — one TCP connection between a LAN host (client) and a peer (server),
// emitted packet by packet into the Capture: handshake with options, data in MSS-sized
// segments with slow-start-like rounds, delayed ACKs, FIN or RST teardown, and failed
// connection attempts (RST-ACK, or SYN retransmits at +1 s and +3 s).
//
// Times: every method takes the world time at which the acting side's stack sends; a packet
// sent at world time w by a side is captured at w + that side's one_way_delay, and reaches
// the other side one_way_delay(other) after it was captured.
#pragma once

#include <cstdint>
#include <span>

#include "capture.h"
#include "net_types.h"
#include "rng.h"
#include "world.h"

namespace synth {

enum class Side { kClient = 0, kServer = 1 };

// Handshake and window behaviour of one TCP stack.
struct TcpStack {
  uint16_t syn_window = 64240;
  int window_scale = 7;  // -1: does not offer the window scale option
  uint16_t mss = 1460;
  bool sack_permitted = true;
  uint32_t receive_window = 64256;  // bytes advertised after the handshake (before scaling)
  Micros delayed_ack = 40 * kMillisecond;
};

TcpStack stack_for(Os os);
// A server-side stack with some variety (window, scale, MSS).
TcpStack random_server_stack(Rng& rng);

struct TcpEndpoint {
  Peer peer;
  uint16_t port = 0;
  TcpStack stack;
};

enum class SynOutcome { kAccepted, kRefused, kUnanswered };

class TcpSession {
 public:
  TcpSession(Capture& capture, Rng& rng, const TcpEndpoint& client, const TcpEndpoint& server);

  // Client SYN at world time t. kAccepted: full three-way handshake, returns the time the
  // client sent its ACK (it may send data from then on). kRefused: the server answers RST-ACK.
  // kUnanswered: the SYN is retransmitted after 1 s and 3 s. For the failure outcomes the
  // return value is the time of the client's last packet, and the session is closed.
  Micros connect(Micros t, SynOutcome outcome = SynOutcome::kAccepted);

  // Treat the connection as set up before the capture began (no handshake is emitted).
  void assume_established();

  // `from` writes `data` at world time t. Returns the world time at which the receiver has
  // all of it (so its reply can be scheduled after that).
  Micros send(Side from, Micros t, std::span<const uint8_t> data);

  // Orderly close begun by `initiator` at t (FIN/ACK both ways). Returns the world time of
  // the last packet.
  Micros close(Side initiator, Micros t);

  // `from` aborts the connection with RST-ACK at t.
  void reset(Side from, Micros t);

  // Emits the delayed ACKs that fall due no later than t (use when a session just stops,
  // e.g. at the end of the capture).
  void flush_delayed_acks(Micros t);

  Micros round_trip() const;
  // World time at which the other end receives a packet that `from` sends at world time t.
  Micros delivered_at(Side from, Micros t) const {
    return t + ends_[static_cast<int>(from)].endpoint.peer.one_way_delay +
           ends_[1 - static_cast<int>(from)].endpoint.peer.one_way_delay;
  }
  bool is_open() const { return open_; }

 private:
  static constexpr int kClient = 0;
  static constexpr int kServer = 1;

  struct EndState {
    TcpEndpoint endpoint;
    uint32_t isn = 0;
    uint32_t snd_nxt = 0;   // next sequence number to send
    uint32_t rcv_nxt = 0;   // next sequence number expected from the other end
    uint16_t window_field = 0;
    int unacked_segments = 0;
    Micros first_unacked_arrival = 0;
    Micros last_capture_time = 0;
    double link_bits_per_us = 100.0;  // serialisation rate of its sending link
  };

  // Emits one segment from `side` (seq = its snd_nxt, which advances by the payload length
  // and SYN/FIN); a window of -1 means the end's current window field. Returns capture time.
  Micros emit(int side, Micros world_time, uint8_t flags, std::span<const uint8_t> payload = {},
              std::span<const uint8_t> options = {}, int window = -1);
  // Data segment arriving at `side` at world time `arrival`. Returns the world time of an
  // immediate ACK it triggered, or -1 if the ACK was delayed.
  Micros receive_data(int side, Micros arrival, uint32_t length);
  void flush_delayed_ack(int side, Micros now);
  Micros processing_delay(int side);
  Micros serialization_time(int side, size_t payload_length) const;
  Bytes syn_options(int side, bool is_syn_ack) const;
  void set_window_fields();
  Micros capture_time(int side, Micros world_time) const { return world_time + ends_[side].endpoint.peer.one_way_delay; }
  Micros arrival_time(int side, Micros captured) const { return captured + ends_[side].endpoint.peer.one_way_delay; }

  Capture& capture_;
  Rng& rng_;
  EndState ends_[2];
  bool open_ = false;
};

inline Side other(Side s) { return s == Side::kClient ? Side::kServer : Side::kClient; }

}  // namespace synth
