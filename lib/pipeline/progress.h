// Progress: the one-line progress display of long runs on stderr (packets, bytes, windows,
// rate), redrawn at most a few times a second, only when stderr is a terminal and the user
// did not ask for quiet. Data never goes to stderr, so this cannot mix with output.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace botd {

class Progress {
 public:
  // Enabled when `wanted` and stderr is a terminal.
  Progress(std::string label, bool wanted);

  // Cheap enough to call per packet: it looks at the clock every few thousand calls.
  void update(uint64_t packets, uint64_t bytes, uint64_t windows_done) {
    if (!enabled_ || (++calls_ & 0xfff) != 0) return;
    redraw(packets, bytes, windows_done);
  }
  // Clears the progress line.
  void finish();

 private:
  void redraw(uint64_t packets, uint64_t bytes, uint64_t windows_done);

  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  uint64_t calls_ = 0;
  std::chrono::steady_clock::time_point started_, last_draw_;
};

// "412.3 MB", "12 kB": byte counts for people (SI units, like tcpdump's summaries).
std::string human_bytes(uint64_t bytes);

}  // namespace botd
