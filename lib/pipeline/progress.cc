#include "pipeline/progress.h"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace botd {

Progress::Progress(std::string label, bool wanted)
    : label_(std::move(label)),
      enabled_(wanted && isatty(STDERR_FILENO)),
      started_(std::chrono::steady_clock::now()),
      last_draw_(started_) {}

void Progress::redraw(uint64_t packets, uint64_t bytes, uint64_t windows_done) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const double rate = seconds > 0 ? double(bytes) / seconds : 0;
  fmt::print(stderr, "\r\033[K{}: {} packets, {}, {} windows done, {}/s", label_, packets, human_bytes(bytes),
             windows_done, human_bytes(uint64_t(rate)));
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) fmt::print(stderr, "\r\033[K");
  drawn_ = false;
}

std::string human_bytes(uint64_t bytes) {
  if (bytes < 1000) return fmt::format("{} B", bytes);
  const char* units[] = {"kB", "MB", "GB", "TB"};
  double value = double(bytes) / 1000;
  int unit = 0;
  while (value >= 1000 && unit < 3) {
    value /= 1000;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, units[unit]);
}

}  // namespace botd
