// Live capture: packets read from a network interface through libpcap, as they arrive
// (`botd score -i eth0`), fed to the same decoder as capture files (capture/packet_source.h's
// PacketSource(LiveCaptureOptions)), so that flows are built the same way.
//
// Opening fails with one Error line naming the interface and what to do: no such interface,
// no permission (botd needs root or the capabilities cap_net_raw and cap_net_admin), an
// interface that is down or cannot capture, a BPF filter that does not compile (quoted, with
// libpcap's reason), a link type botd does not decode. Promiscuous mode that the interface
// cannot give is a warning, not an error.
//
// Reading (RecordSource::read) returns each packet as soon as the kernel has it (libpcap's
// immediate mode), with the kernel's timestamp in nanoseconds where the system gives them;
// when no packet comes within `wait_ms`, it returns ReadStatus::quiet, so that the caller can
// close the windows whose time has passed on a quiet link. It ends (ReadStatus::end) once
// `stop_requested` says so, after the packets the kernel had already captured by then; or
// when the interface fails (it goes down, it is removed), then with StopReason read_error and
// libpcap's reason.
//
// Not thread-safe; one reader per interface. `stop_requested` may be set by a signal handler
// (io/interrupt.h's stop_requested()).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace botd {

struct LiveCaptureOptions {
  static constexpr int kDefaultSnaplen = 262144;  // tcpdump's: whole packets

  std::string interface;  // "eth0"; empty: not a live capture
  std::string filter;     // a BPF filter as tcpdump takes it ("tcp or udp"); empty: every packet
  int snaplen = kDefaultSnaplen;  // bytes kept of each packet
  bool promiscuous = true;        // also the packets not addressed to this host
  int wait_ms = 200;              // how long a read waits for a packet before it says the link is quiet
  std::function<bool()> stop_requested;  // polled between packets and at least every wait_ms; may be empty

  bool enabled() const { return !interface.empty(); }
};

// libpcap's counters at the end of a live capture (pcap_stats): packets the kernel received
// (that passed the filter), dropped because botd's buffer was full, and dropped by the
// interface or its driver before the kernel saw them (not every driver counts them).
struct LiveCounters {
  uint64_t received = 0, dropped = 0, interface_dropped = 0;
};

}  // namespace botd
