// RunStats: what one run of a command read, skipped and made — the one record every job
// returns, shown in one place (log_run_stats: the summary line and warnings on stderr) and
// written as --stats JSON (write_run_stats).
//
// Input counters cover both kinds of input: captures (packets, bytes, damage by name, late
// packets, why a capture stopped early) and flow files (rows skipped as bad or as argus
// management records, flows too late for their windows). What the command made is a list of
// named measures (flagged flows, host rows, labeled rows, ...), in the order it lists them.
//
// --stats JSON, one object (keys in this order; zeros included, so scripts can rely on them):
//   command, packets, bytes, damaged_packets, damage {REASON: count, ...}, late_packets,
//   flows_ended_early (flow objects ended to stay within --max-flows),
//   truncated (true when a capture ended early), stop_reason (capture/capture_reader.h's
//   name, or null), then for a live capture only pcap_received, pcap_dropped,
//   pcap_interface_dropped (capture/live_capture.h's LiveCounters), then flows, windows,
//   skipped_bad_rows, skipped_management_rows, late_flows, then each measure by its key, then
//   warnings [...].
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "capture/capture_reader.h"
#include "capture/damage.h"
#include "capture/live_capture.h"

namespace botd {

struct Measure {
  std::string key;    // the --stats JSON key: "flagged_flows"
  std::string label;  // in the summary line: "12 flagged flows"; empty: only in --stats
  std::variant<uint64_t, double, std::string> value;
};

struct RunStats {
  std::string command;  // "flows"
  // Captures.
  uint64_t packets = 0, wire_bytes = 0, late_packets = 0;
  uint64_t flows_ended_early = 0;  // by --max-flows
  DamageCounts damage;
  CaptureStop stop = CaptureStop::none;  // the first capture that ended early
  std::optional<LiveCounters> live;      // a live capture's libpcap counters at its end
  // Flow files.
  uint64_t skipped_bad_rows = 0, skipped_management_rows = 0, late_flows = 0;
  // Either.
  uint64_t flows = 0, windows = 0;
  bool from_capture = false;  // at least one input was a capture
  bool has_flows = true;      // false for split, which makes no flows
  std::vector<Measure> made;
  std::vector<std::string> notes;  // further lines for people (detection metrics, ...)
  std::vector<std::string> warnings;

  void add_measure(std::string key, std::string label, std::variant<uint64_t, double, std::string> value) {
    made.push_back({std::move(key), std::move(label), std::move(value)});
  }
  // Adds the input counters and warnings of another input's run (a job over several inputs).
  void add_input(const RunStats& other);

  // "2180000 packets, 434.0 MB, 1400000 flows, 24 windows, 0 damaged, 0 late; 12 flagged flows"
  std::string line() const;
};

// The warnings (as warnings), then the summary line and the notes (as information).
void log_run_stats(const RunStats& stats);

// --stats FILE: the JSON above, written as an output (temporary file, then renamed).
void write_run_stats(const RunStats& stats, const std::string& path);

}  // namespace botd
