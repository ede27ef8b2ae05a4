// ZeekConnWriter: botd's flows as a Zeek conn.log (TSV, io/row_writer.h's Zeek format), so
// that botd's native flows reach the tools that read Zeek (`botd flows --format zeek`).
//
// From a FlowRecord to a conn.log row — the inverse of the mapping the Zeek reader uses
// (flow/zeek_conn_reader.h; docs/flows.md has both in one table):
//   ts, duration          StartTime, Dur (a duration of 0 unset, as Zeek writes it)
//   uid                   "C" and 17 letters and digits from a hash of the flow's start and ends
//                         (Zeek draws them at random; botd's are the same on every run)
//   id.orig_h/p, resp_h/p SrcAddr, Sport, DstAddr, Dport; ICMP: the type and the code (from
//                         argus's Sport "0x<code><type>"); ICMPv6: Sport and Dport
//   proto                 tcp, udp, icmp (also for argus's ipv6-icmp); other IP protocols
//                         unknown_transport with ports 0. ARP and other non-IP flows are not
//                         written: a conn.log holds IP connections only.
//   service               unset
//   orig_pkts, resp_pkts  SrcPkts, DstPkts when the flow has them (the extended fields);
//                         else TotPkts for the originator and unset for the responder
//   orig_ip_bytes, ...    argus's bytes less 14 per packet: argus counts Ethernet frames, Zeek
//                         IP packets (an assumption about the link: exact on Ethernet)
//   orig_bytes, resp_bytes, missed_bytes   unset, 0: payload bytes are not in a flow record
//   conn_state            TCP from the flags of each side in State: S0 (SYN, no answer), REJ
//                         (SYN, RST), SF (both FIN), RSTO/RSTR (a RST from the originator/responder
//                         after the handshake), S2/S3 (one FIN), S1 (established), OTH (no SYN:
//                         the flow began mid-connection); UDP and others SF when both sides sent,
//                         S0 when only the originator did; ICMP OTH
//   history               TCP: originator's letters S (SYN), A (ACK), D (PSH), F, R, then the
//                         responder's h (SYN-ACK), a, d, f, r — the flags each side sent, not
//                         their order, which a flow record does not keep; URG, ECE, CWR have no
//                         letter; a refusal's RST-ACK is r alone (Zeek's a is a pure ACK).
//                         UDP: D for the originator's packets, d for the responder's. ICMP and
//                         others: unset, as Zeek writes them.
//   local_orig, local_resp, tunnel_parents   unset
//
// Not thread-safe; writes to `out`, which must outlive it. Throws Error on write failure.
#pragma once

#include <memory>

#include "flow/flow_writer.h"

namespace botd {

class OutputFile;

// Also reports, in `skipped`, how many flows were not written (non-IP).
std::unique_ptr<FlowSink> make_zeek_conn_writer(OutputFile& out, uint64_t& skipped);

}  // namespace botd
