// The `split` job: one pass over a capture that writes each time window as its own capture
// (SPEC §3), named <stem>-<index>-<start>.pcap, plus windows.csv.
//
// Every whole record goes to the windows its timestamp falls in, damaged or not (split cuts
// captures like editcap; damage is only counted). Each window's file keeps the input's link
// type, snap length and timestamp precision and is renamed into place when the window closes;
// windows.csv is written last. Returns what was read (packets, bytes, windows, damage, late
// packets, a capture cut off). Throws Error on unreadable input or unwritable output.
//
// The window files hold the bytes libpcap's pcap_dump would write (PcapWriter). When the input
// is a regular, uncompressed classic pcap whose file header is already that header (host byte
// order, as libpcap writes), the records stored exactly so are copied from the input in runs,
// inside the kernel (io/range_copy_writer.h), instead of being written one by one; the files
// are the same bytes either way.
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
  // Copy runs of records from the input when it allows (above); false writes every record
  // through PcapWriter (the reference the copies are tested against).
  bool copy_records = true;
};

RunStats run_split(const SplitOptions& options, Progress& progress);

}  // namespace botd
