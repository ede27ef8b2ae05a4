// Progress: the one-line progress display of long runs on stderr, redrawn at most four times a
// second, only when stderr is a terminal and the user did not ask for quiet. Data never goes
// to stderr, so this cannot mix with output.
//
// When the input's size is known (a file), it shows the share read and the time left:
//   "flows: 45% of 434.0 MB, 980112 packets, 12 windows done, 210.3 MB/s, 2 s left"
// otherwise (a pipe) what was read and the rate:
//   "flows: 980112 packets, 195.4 MB, 12 windows done, 210.3 MB/s"
// Not thread-safe: one thread updates it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace botd {

struct InputPosition;

class Progress {
 public:
  // Enabled when `wanted` and stderr is a terminal.
  Progress(std::string label, bool wanted);

  // The input being read now and what its items are called ("packets", "flows").
  void watch(std::shared_ptr<const InputPosition> input, std::string unit);

  // Cheap enough to call per item: it looks at the clock every few thousand calls.
  void update(uint64_t items, uint64_t windows_done) {
    if (!enabled_ || (++calls_ & 0xfff) != 0) return;
    redraw(items, windows_done);
  }
  // Clears the progress line.
  void finish();

 private:
  void redraw(uint64_t items, uint64_t windows_done);

  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  uint64_t calls_ = 0;
  std::shared_ptr<const InputPosition> input_;
  std::string unit_ = "items";
  std::chrono::steady_clock::time_point started_, last_draw_;
};

// The line Progress draws, for `seconds` into the run, `items` read so far (packets or flows,
// named by `unit`), `read` bytes of an input of `size` bytes (0: unknown).
std::string progress_line(const std::string& label, uint64_t items, const std::string& unit, uint64_t windows_done,
                          uint64_t read, uint64_t size, double seconds);

// "412.3 MB", "12 kB": byte counts for people (SI units, like tcpdump's summaries).
std::string human_bytes(uint64_t bytes);

}  // namespace botd
