// TcpTracker on hand-built segments: the state set by a record's first packet, the state
// machine of ARGUS-NOTES §8.2 (handshake, FIN and RST handling, argus's payload-only sequence
// tracking), per-side flags, SYN seen, retransmissions (§10) and when a SYN re-opens.
#include <gtest/gtest.h>

#include "capture/packet.h"
#include "flow/tcp_tracker.h"

namespace botd {
namespace {

constexpr int kClient = 0, kServer = 1;  // the record's source and destination
constexpr uint8_t F = tcp_flag::fin, S = tcp_flag::syn, R = tcp_flag::rst, P = tcp_flag::psh, A = tcp_flag::ack,
                  U = tcp_flag::urg, E = tcp_flag::ece, C = tcp_flag::cwr;

TcpSegment segment(uint8_t flags, uint32_t seq, uint32_t ack = 0, uint32_t payload_len = 0, int8_t window_scale = -1) {
  TcpSegment s;
  s.flags = flags;
  s.seq = seq;
  s.ack = ack;
  s.window = 8192;
  s.window_scale = window_scale;
  s.payload_len = payload_len;
  return s;
}

// One connection as the flow table drives it: the first segment starts the record.
struct Connection {
  TcpTracker tcp;
  bool started = false;
  bool in_protocol = true;

  TcpOutcome send(int side, const TcpSegment& s) {
    const bool first = !started;
    started = true;
    in_protocol = true;  // the table sets it before every packet
    return tcp.update(side, s, first, in_protocol);
  }
  // Client 1000 -> server 5000, both windows 8192; the server's SYN-ACK may carry a scale.
  void handshake(int8_t server_window_scale = -1) {
    send(kClient, segment(S, 1000));
    send(kServer, segment(S | A, 5000, 1001, 0, server_window_scale));
    send(kClient, segment(A, 1001, 5001));
  }
};

TEST(TcpTracker, SynFirstIsSynSentAndSynSeenEvenWithEcnFlags) {
  Connection c;
  EXPECT_EQ(c.send(kClient, segment(S, 1000)), TcpOutcome::same_record);
  EXPECT_EQ(c.tcp.state(), TcpState::syn_sent);
  EXPECT_EQ(c.tcp.status(), tcp_status::saw_syn);
  EXPECT_TRUE(c.tcp.saw_syn());
  EXPECT_EQ(c.tcp.flags(kClient), S);
  EXPECT_EQ(c.tcp.flags(kServer), 0);
  Connection ecn;  // ECE and CWR do not matter
  ecn.send(kClient, segment(S | E | C, 1000));
  EXPECT_EQ(ecn.tcp.state(), TcpState::syn_sent);
  EXPECT_TRUE(ecn.tcp.saw_syn());
  EXPECT_EQ(ecn.tcp.flags(kClient), S | E | C);
}

TEST(TcpTracker, SynPshUrgFirstIsNotASyn) {
  // Masked with S, A, F, P, U the flags are not S or SA: argus's "anything else" (SPUC_ prints ?>).
  Connection c;
  c.send(kClient, segment(S | P | U | C, 1000));
  EXPECT_EQ(c.tcp.state(), TcpState::closing);
  EXPECT_FALSE(c.tcp.saw_syn());
}

TEST(TcpTracker, HandshakeReachesEstablishedWithFlagsPerSide) {
  Connection c;
  c.send(kClient, segment(S, 1000));
  EXPECT_EQ(c.send(kServer, segment(S | A, 5000, 1001)), TcpOutcome::same_record);
  EXPECT_EQ(c.tcp.state(), TcpState::syn_received);
  EXPECT_EQ(c.send(kClient, segment(A, 1001, 5001)), TcpOutcome::same_record);
  EXPECT_EQ(c.tcp.state(), TcpState::established);
  EXPECT_EQ(c.tcp.status(), tcp_status::saw_syn | tcp_status::saw_syn_ack | tcp_status::established);
  EXPECT_EQ(c.tcp.flags(kClient), S | A);
  EXPECT_EQ(c.tcp.flags(kServer), S | A);
  EXPECT_EQ(c.tcp.retransmissions(kClient), 0u);
  EXPECT_EQ(c.tcp.retransmissions(kServer), 0u);
}

TEST(TcpTracker, SynAckFirstIsSynReceivedAndCountsAsSynSeen) {
  Connection c;
  c.send(kServer, segment(S | A, 5000, 1001));
  EXPECT_EQ(c.tcp.state(), TcpState::syn_received);
  EXPECT_EQ(c.tcp.status(), tcp_status::saw_syn_ack);  // no SYN seen: what ra's SYN-ACK reversal looks for
  EXPECT_TRUE(c.tcp.saw_syn());
  c.send(kClient, segment(A, 1001, 5001));
  EXPECT_EQ(c.tcp.state(), TcpState::established);
}

TEST(TcpTracker, MidstreamFirstPacketsSetTheirStatesWithoutSyn) {
  for (uint8_t flags : {A, uint8_t(P | A), P, uint8_t(U | A)}) {
    Connection c;
    c.send(kClient, segment(flags, 1001, 5001, 10));
    EXPECT_EQ(c.tcp.state(), TcpState::established) << int(flags);
    EXPECT_FALSE(c.tcp.saw_syn()) << int(flags);
  }
  Connection fin;
  fin.send(kClient, segment(F | A, 1001, 5001));
  EXPECT_EQ(fin.tcp.state(), TcpState::fin_wait_1);
  EXPECT_EQ(fin.tcp.status(), tcp_status::fin);
  EXPECT_FALSE(fin.tcp.saw_syn());
}

TEST(TcpTracker, FinCloseAfterPayloadReachesFinWait2) {
  Connection c;
  c.handshake();
  c.send(kClient, segment(P | A, 1001, 5001, 100));
  c.send(kServer, segment(P | A, 5001, 1101, 500));
  c.send(kClient, segment(F | A, 1101, 5501));
  EXPECT_EQ(c.tcp.state(), TcpState::fin_wait_1);
  c.send(kServer, segment(F | A, 5501, 1102));  // acks the client's FIN: the client had sent payload
  EXPECT_EQ(c.tcp.state(), TcpState::fin_wait_2);
  c.send(kClient, segment(A, 1102, 5502));
  EXPECT_EQ(c.tcp.state(), TcpState::fin_wait_2);
  EXPECT_FALSE(c.tcp.closed());
  EXPECT_EQ(c.tcp.status(), tcp_status::saw_syn | tcp_status::saw_syn_ack | tcp_status::established |
                                tcp_status::fin | tcp_status::fin_acked);
  EXPECT_EQ(c.tcp.flags(kClient), F | S | P | A);
  EXPECT_EQ(c.tcp.flags(kServer), F | S | P | A);
}

TEST(TcpTracker, FinWithoutPayloadIsNeverAcked) {
  // argus tracks seq on payload only: a FIN sender that sent no data stays in FIN_WAIT_1.
  Connection c;
  c.handshake();
  c.send(kClient, segment(F | A, 1001, 5001));
  c.send(kServer, segment(A, 5001, 1002));
  EXPECT_EQ(c.tcp.state(), TcpState::fin_wait_1);
  EXPECT_FALSE(c.tcp.status() & tcp_status::fin_acked);
}

TEST(TcpTracker, SynAfterFinWithoutPayloadReopens) {
  Connection c;
  c.handshake();
  c.send(kClient, segment(F | A, 1001, 5001));
  c.send(kServer, segment(A, 5001, 1002));
  EXPECT_EQ(c.send(kClient, segment(S, 77777)), TcpOutcome::reopen_flags_in_old_record);
}

TEST(TcpTracker, ReopenOutOfTheStateMachineHasAddedTheSynToTheOldRecord) {
  Connection c;
  c.send(kClient, segment(F, 1001));  // FIN first: FIN_WAIT_1
  EXPECT_EQ(c.send(kClient, segment(S, 2000)), TcpOutcome::reopen_flags_in_old_record);
  EXPECT_EQ(c.tcp.flags(kClient), F | S);
}

TEST(TcpTracker, OnlyAnExactSynReopensAfterFin) {
  Connection c;
  c.send(kClient, segment(F, 1001));
  EXPECT_EQ(c.send(kClient, segment(S | E | C, 2000)), TcpOutcome::same_record);
  EXPECT_EQ(c.send(kServer, segment(S | A, 5000, 2001)), TcpOutcome::same_record);
}

TEST(TcpTracker, SynAfterCompleteCloseDoesNotReopen) {
  // Port reuse after a full close merges (ARGUS-NOTES §8.2: one FSPA_FSPA record).
  Connection c;
  c.handshake();
  c.send(kClient, segment(P | A, 1001, 5001, 100));
  c.send(kServer, segment(P | A, 5001, 1101, 500));
  c.send(kClient, segment(F | A, 1101, 5501));
  c.send(kServer, segment(F | A, 5501, 1102));
  c.send(kClient, segment(A, 1102, 5502));
  EXPECT_EQ(c.send(kClient, segment(S, 77777)), TcpOutcome::same_record);
  EXPECT_EQ(c.send(kServer, segment(S | A, 9000, 77778)), TcpOutcome::same_record);
  EXPECT_EQ(c.tcp.state(), TcpState::fin_wait_2);
}

TEST(TcpTracker, RstFirstWaitsForAnySynToReopen) {
  Connection c;
  c.send(kClient, segment(R, 5000));  // RESET-FIRST
  EXPECT_EQ(c.tcp.state(), TcpState::listen);
  EXPECT_EQ(c.tcp.status(), tcp_status::reset);
  EXPECT_FALSE(c.tcp.saw_syn());
  EXPECT_EQ(c.send(kServer, segment(A, 1000, 5000)), TcpOutcome::same_record);
  EXPECT_EQ(c.tcp.flags(kServer), A);
  EXPECT_EQ(c.tcp.state(), TcpState::listen);
  // Any segment with the SYN bit re-opens, and its flags stay out of the old record.
  EXPECT_EQ(c.send(kServer, segment(S | A, 1000, 5001)), TcpOutcome::reopen);
  EXPECT_EQ(c.tcp.flags(kServer), A);
  EXPECT_EQ(c.tcp.flags(kClient), R);
}

TEST(TcpTracker, RefusedSynsRetriedStayInOneRecord) {
  // S, RA, S, RA, S: the RST acks the SYN, so the connection stays SYN_SENT (one S_RA record).
  Connection c;
  c.send(kClient, segment(S, 1000));
  EXPECT_EQ(c.send(kServer, segment(R | A, 0, 1001)), TcpOutcome::same_record);
  EXPECT_EQ(c.tcp.state(), TcpState::syn_sent);
  EXPECT_EQ(c.send(kClient, segment(S, 1000)), TcpOutcome::same_record);
  EXPECT_EQ(c.send(kServer, segment(R | A, 0, 1001)), TcpOutcome::same_record);
  EXPECT_EQ(c.send(kClient, segment(S, 1000)), TcpOutcome::same_record);
  EXPECT_EQ(c.tcp.state(), TcpState::syn_sent);
  EXPECT_EQ(c.tcp.retransmissions(kClient), 2u);  // the repeated SYNs
  EXPECT_EQ(c.tcp.flags(kClient), S);
  EXPECT_EQ(c.tcp.flags(kServer), R | A);
  EXPECT_TRUE(c.tcp.status() & tcp_status::reset);
}

TEST(TcpTracker, RstInsideTheSendersWindowCloses) {
  Connection c;
  c.handshake();
  c.send(kServer, segment(R, 5001));  // in [server's last ack 1000, 1000 + 8192)
  EXPECT_EQ(c.tcp.state(), TcpState::closed);
  EXPECT_TRUE(c.tcp.closed());
  EXPECT_TRUE(c.tcp.status() & tcp_status::reset);
  EXPECT_FALSE(c.tcp.status() & tcp_status::normal_close);
  EXPECT_EQ(c.tcp.flags(kServer), S | R | A);
}

TEST(TcpTracker, RstOutsideTheScaledWindowGoesToClosing) {
  Connection c;
  c.handshake(7);  // the server's window is 8192 >> 7 = 64 bytes past its last ack (1000)
  c.send(kServer, segment(R, 5001));
  EXPECT_EQ(c.tcp.state(), TcpState::closing);
  EXPECT_FALSE(c.tcp.closed());
}

TEST(TcpTracker, SynInEstablishedIsARetransmissionNotAReopen) {
  Connection c;
  c.handshake();
  EXPECT_EQ(c.send(kClient, segment(S, 1000)), TcpOutcome::same_record);
  EXPECT_EQ(c.tcp.state(), TcpState::established);
  EXPECT_EQ(c.tcp.retransmissions(kClient), 1u);
  EXPECT_EQ(c.tcp.retransmissions(kServer), 0u);
}

TEST(TcpTracker, ResentPayloadIsARetransmissionBeforeOrAfterItsAck) {
  Connection before;  // sent twice before any ACK: beyond the outstanding window
  before.handshake();
  before.send(kClient, segment(P | A, 1001, 5001, 100));
  EXPECT_EQ(before.tcp.retransmissions(kClient), 0u);
  before.send(kClient, segment(P | A, 1001, 5001, 100));
  EXPECT_EQ(before.tcp.retransmissions(kClient), 1u);
  Connection c;  // sent again after the server acked it: below the peer's ack
  c.handshake();
  c.send(kClient, segment(P | A, 1001, 5001, 100));
  c.send(kServer, segment(A, 5001, 1101));
  c.send(kClient, segment(P | A, 1001, 5001, 100));
  EXPECT_EQ(c.tcp.retransmissions(kClient), 1u);
  EXPECT_FALSE(c.in_protocol);
  EXPECT_EQ(c.tcp.retransmissions(kServer), 0u);
}

TEST(TcpTracker, FirstDataAfterAnAckIsIdleAndTheNextActive) {
  Connection c;
  c.handshake();
  c.send(kClient, segment(P | A, 1001, 5001, 100));
  EXPECT_FALSE(c.in_protocol);
  c.send(kClient, segment(P | A, 1101, 5001, 100));
  EXPECT_TRUE(c.in_protocol);
  EXPECT_EQ(c.tcp.retransmissions(kClient), 0u);
}

TEST(TcpTracker, NewRecordClearsFlagsButKeepsTheConnection) {
  Connection c;
  c.handshake();
  c.tcp.start_new_record();
  EXPECT_EQ(c.tcp.flags(kClient), 0);
  EXPECT_EQ(c.tcp.flags(kServer), 0);
  EXPECT_EQ(c.tcp.state(), TcpState::established);
  EXPECT_TRUE(c.tcp.saw_syn());
  c.send(kServer, segment(P | A, 5001, 1001, 10));
  EXPECT_EQ(c.tcp.flags(kServer), P | A);
}

TEST(TcpTracker, ResetConnectionForgetsEverything) {
  Connection c;
  c.send(kClient, segment(S, 1000));
  c.send(kClient, segment(S, 1000));
  c.tcp.reset_connection();
  EXPECT_EQ(c.tcp.state(), TcpState::none);
  EXPECT_EQ(c.tcp.status(), 0);
  EXPECT_EQ(c.tcp.flags(kClient), 0);
  EXPECT_EQ(c.tcp.retransmissions(kClient), 0u);
  EXPECT_FALSE(c.tcp.saw_syn());
}

}  // namespace
}  // namespace botd
