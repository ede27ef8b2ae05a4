// The `split` job: one pass over a capture that writes each time window as its own capture
// (SPEC §3), named <stem>-<index>-<start>.pcap, plus windows.csv.
//
// Every whole record goes to the windows its timestamp falls in, damaged or not (split cuts
// captures like editcap; damage is only counted). Each window's file keeps the input's link
// type, snap length and timestamp precision and is renamed into place when the window closes;
// windows.csv is written last. Throws Error on unreadable input or unwritable output.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "capture/damage.h"
#include "window/window_clock.h"

namespace botd {

class Progress;

struct SplitOptions {
  std::string input;  // a capture path, or "-" for stdin
  std::filesystem::path output_dir;
  WindowSpec windows;
};

struct SplitSummary {
  uint64_t packets = 0;
  uint64_t wire_bytes = 0;
  uint64_t windows = 0;
  uint64_t late_packets = 0;
  DamageCounts damage;
  std::optional<std::string> truncation_warning;

  // "12345 packets, 6.7 MB, 24 windows, 0 damaged, 0 late"
  std::string line() const;
  std::string to_json() const;
};

SplitSummary run_split(const SplitOptions& options, Progress& progress);

}  // namespace botd
