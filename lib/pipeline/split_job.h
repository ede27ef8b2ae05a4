// The `split` job: one pass over a capture that writes each time window as its own capture
// (SPEC §3), named <stem>-<index>-<start>.pcap, plus windows.csv.
//
// Every whole record goes to the windows its timestamp falls in, damaged or not (split cuts
// captures like editcap; damage is only counted). Each window's file keeps the input's link
// type, snap length and timestamp precision and is renamed into place when the window closes;
// windows.csv is written last. Returns what was read (packets, bytes, windows, damage, late
// packets, a capture cut off). Throws Error on unreadable input or unwritable output.
#pragma once

#include <filesystem>
#include <string>

#include "pipeline/run_stats.h"
#include "window/window_clock.h"

namespace botd {

class Progress;

struct SplitOptions {
  std::string input;  // a capture path, or "-" for stdin
  std::filesystem::path output_dir;
  WindowSpec windows;
};

RunStats run_split(const SplitOptions& options, Progress& progress);

}  // namespace botd
