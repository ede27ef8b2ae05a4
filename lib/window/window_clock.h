// Time windows (SPEC §3): window k covers [origin + k·step, origin + k·step + window).
//
// WindowClock places each packet, by its timestamp, in the windows that hold it. It opens a
// window at its first packet (only windows with packets exist) and closes it once the
// latest time seen has passed the window's end by more than the reorder allowance; a packet
// that belongs to a window already closed is "late" and is not placed there. Closure is
// monotone in the window index, so at most ceil((window + reorder) / step) windows are open
// at once and memory does not grow with the length of the capture.
//
// On a live capture, time also passes without packets: advance_to(now) closes the windows
// whose end plus the reorder allowance has passed, as a packet at `now` would.
//
// --window 0 means the whole capture as one window (index 0, from the first packet on).
//
// Not thread-safe. Invariant: open windows are kept sorted by index.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace botd {

enum class WindowAlign {
  epoch,  // origin is the Unix epoch: boundaries are multiples of step, stable across files
  first,  // origin is the first packet's time, truncated to whole seconds (the original tool)
};

struct WindowSpec {
  int64_t window_ns = 300'000'000'000;
  int64_t step_ns = 150'000'000'000;
  WindowAlign align = WindowAlign::epoch;
  int64_t reorder_ns = 1'000'000'000;

  bool whole_capture() const { return window_ns == 0; }
  // Throws Error when the values cannot make windows (negative, zero step, step > window, any
  // longer than kLongestDurationNs).
  void validate() const;
};

struct Window {
  int64_t index = 0;
  int64_t start_ns = 0;
  int64_t end_ns = 0;  // exclusive; INT64_MAX for the whole-capture window
  bool operator==(const Window&) const = default;
};

struct Placement {
  std::span<const Window> windows;  // the open windows holding the packet, oldest first
  bool late = false;                // it also belonged to a window already closed
};

class WindowClock {
 public:
  explicit WindowClock(const WindowSpec& spec);

  // Places a packet at time_ns. The returned span is valid until the next call.
  Placement place(int64_t time_ns);

  // Moves the latest time seen to time_ns without a packet (a live capture's quiet link),
  // closing the windows that a packet at time_ns would close. An earlier time, or any time
  // before the first packet, changes nothing.
  void advance_to(int64_t time_ns);

  // Windows closed by the calls to place() and advance_to() since the last take, oldest first.
  std::vector<Window> take_closed();

  // Closes every open window (the end of the input), oldest first.
  std::vector<Window> finish();

  size_t open_count() const { return open_.size(); }

 private:
  void start(int64_t first_time_ns);
  Window window_at(int64_t index) const;
  void close_passed_windows();
  void open_window(int64_t index);

  WindowSpec spec_;
  bool started_ = false;
  // Fast paths, since consecutive packets almost always land in the same windows: the time
  // at which the next window closes, and the time range over which placement_ still holds.
  int64_t next_closure_ns_ = std::numeric_limits<int64_t>::min();
  int64_t placement_from_ns_ = 0, placement_until_ns_ = 0;
  bool placement_late_ = false;
  int64_t origin_ns_ = 0;
  int64_t latest_ns_ = std::numeric_limits<int64_t>::min();
  int64_t first_open_index_ = std::numeric_limits<int64_t>::min();  // every lower index is closed
  std::vector<Window> open_;
  std::vector<Window> closed_;
  std::vector<Window> placement_;
};

}  // namespace botd
