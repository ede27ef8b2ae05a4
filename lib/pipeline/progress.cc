#include "pipeline/progress.h"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "io/input_stream.h"

namespace botd {
namespace {

// "2 s", "3 min 12 s", "1 h 4 min".
std::string human_duration(double seconds) {
  const uint64_t s = uint64_t(seconds + 0.5);
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} min {} s", s / 60, s % 60);
  return fmt::format("{} h {} min", s / 3600, s / 60 % 60);
}

}  // namespace

Progress::Progress(std::string label, bool wanted)
    : label_(std::move(label)),
      enabled_(wanted && isatty(STDERR_FILENO)),
      started_(std::chrono::steady_clock::now()),
      last_draw_(started_) {}

void Progress::watch(std::shared_ptr<const InputPosition> input, std::string unit) {
  input_ = std::move(input);
  unit_ = std::move(unit);
  started_ = std::chrono::steady_clock::now();
}

void Progress::redraw(uint64_t items, uint64_t windows_done) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const std::string line = progress_line(label_, items, unit_, windows_done, input_ ? input_->bytes_read : 0,
                                         input_ ? input_->size : 0, seconds);
  fmt::print(stderr, "\r\033[K{}", line);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) fmt::print(stderr, "\r\033[K");
  drawn_ = false;
}

std::string progress_line(const std::string& label, uint64_t items, const std::string& unit, uint64_t windows_done,
                          uint64_t read, uint64_t size, double seconds) {
  const double rate = seconds > 0 ? double(read) / seconds : 0;
  if (size == 0 || read > size)
    return fmt::format("{}: {} {}, {}, {} windows done, {}/s", label, items, unit, human_bytes(read), windows_done,
                       human_bytes(uint64_t(rate)));
  std::string line = fmt::format("{}: {:.0f}% of {}, {} {}, {} windows done, {}/s", label,
                                 100 * double(read) / double(size), human_bytes(size), items, unit, windows_done,
                                 human_bytes(uint64_t(rate)));
  if (rate > 0) line += fmt::format(", {} left", human_duration(double(size - read) / rate));
  return line;
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
