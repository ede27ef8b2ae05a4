#include "window/window_clock.h"

#include <algorithm>

#include "core/error.h"
#include "core/time_format.h"

namespace botd {
namespace {

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

void WindowSpec::validate() const {
  if (window_ns < 0) fail("--window must be 0 (the whole capture) or a positive number of seconds");
  if (reorder_ns < 0) fail("--reorder must not be negative");
  // Bounded, so that a time plus a window never overflows (core/time_format.h).
  if (window_ns > kLongestDurationNs || step_ns > kLongestDurationNs || reorder_ns > kLongestDurationNs)
    fail("--window, --step and --reorder must be at most ten years ({} s)", format_seconds(kLongestDurationNs));
  if (whole_capture()) return;
  if (step_ns <= 0) fail("--step must be a positive number of seconds");
  if (step_ns > window_ns)
    fail("--step ({} s) is longer than --window ({} s): packets between windows would be lost",
         format_seconds(step_ns), format_seconds(window_ns));
}

WindowClock::WindowClock(const WindowSpec& spec) : spec_(spec) { spec_.validate(); }

Window WindowClock::window_at(int64_t index) const {
  if (spec_.whole_capture()) return {0, origin_ns_, std::numeric_limits<int64_t>::max()};
  const int64_t start = origin_ns_ + index * spec_.step_ns;
  return {index, start, start + spec_.window_ns};
}

Placement WindowClock::place(int64_t time_ns) {
  if (!started_) start(time_ns);
  if (time_ns > latest_ns_) {
    latest_ns_ = time_ns;
    if (latest_ns_ >= next_closure_ns_) close_passed_windows();
  }
  if (time_ns >= placement_from_ns_ && time_ns < placement_until_ns_) return {placement_, placement_late_};

  int64_t lowest = 0, highest = 0;
  placement_from_ns_ = std::numeric_limits<int64_t>::min();
  placement_until_ns_ = std::numeric_limits<int64_t>::max();
  if (!spec_.whole_capture()) {
    const int64_t since_origin = time_ns - origin_ns_;
    highest = floor_div(since_origin, spec_.step_ns);
    lowest = floor_div(since_origin - spec_.window_ns, spec_.step_ns) + 1;
    // The same windows hold every time from the latest start to the next start or first end.
    placement_from_ns_ = origin_ns_ + highest * spec_.step_ns;
    placement_until_ns_ = std::min(placement_from_ns_ + spec_.step_ns, origin_ns_ + lowest * spec_.step_ns + spec_.window_ns);
  }
  placement_late_ = false;
  if (spec_.align == WindowAlign::first || spec_.whole_capture()) {
    if (highest < 0) placement_late_ = true;  // before the origin: no window holds it
    lowest = std::max<int64_t>(lowest, 0);    // windows before the origin do not exist
  }
  if (lowest < first_open_index_) {
    placement_late_ = true;  // it belongs to windows already closed
    lowest = first_open_index_;
  }
  placement_.clear();
  for (int64_t index = lowest; index <= highest; ++index) {
    open_window(index);
    placement_.push_back(window_at(index));
  }
  return {placement_, placement_late_};
}

void WindowClock::advance_to(int64_t time_ns) {
  if (!started_ || time_ns <= latest_ns_) return;
  latest_ns_ = time_ns;
  if (latest_ns_ >= next_closure_ns_) close_passed_windows();
}

void WindowClock::start(int64_t time_ns) {
  started_ = true;
  if (spec_.whole_capture()) origin_ns_ = time_ns;
  else if (spec_.align == WindowAlign::first) origin_ns_ = floor_div(time_ns, kNanosPerSecond) * kNanosPerSecond;
  if (spec_.whole_capture() || spec_.align == WindowAlign::first) first_open_index_ = 0;
  latest_ns_ = time_ns;
  close_passed_windows();
}

void WindowClock::close_passed_windows() {
  if (spec_.whole_capture()) {
    next_closure_ns_ = std::numeric_limits<int64_t>::max();
    return;
  }
  // Window k is closed once latest - reorder >= end(k) = origin + k·step + window.
  const int64_t horizon = latest_ns_ - spec_.reorder_ns - origin_ns_ - spec_.window_ns;
  const int64_t first_still_open = floor_div(horizon, spec_.step_ns) + 1;
  if (first_still_open > first_open_index_) {
    first_open_index_ = first_still_open;
    auto still_open = std::find_if(open_.begin(), open_.end(),
                                   [&](const Window& w) { return w.index >= first_still_open; });
    closed_.insert(closed_.end(), open_.begin(), still_open);
    open_.erase(open_.begin(), still_open);
    placement_until_ns_ = placement_from_ns_;  // the cached placement may hold a closed window
  }
  next_closure_ns_ = window_at(first_open_index_).end_ns + spec_.reorder_ns;
}

void WindowClock::open_window(int64_t index) {
  auto position = std::lower_bound(open_.begin(), open_.end(), index,
                                   [](const Window& w, int64_t i) { return w.index < i; });
  if (position != open_.end() && position->index == index) return;
  open_.insert(position, window_at(index));
}

std::vector<Window> WindowClock::take_closed() {
  std::vector<Window> taken;
  taken.swap(closed_);
  return taken;
}

std::vector<Window> WindowClock::finish() {
  std::vector<Window> taken = take_closed();
  taken.insert(taken.end(), open_.begin(), open_.end());
  open_.clear();
  return taken;
}

}  // namespace botd
