#include "io/cell_writer.h"

#include <charconv>

#include "core/time_format.h"

namespace botd {

const char* read_count(std::string_view text, uint64_t& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return "is not a count";
  return nullptr;
}

const char* read_real(std::string_view text, double& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return "is not a number";
  return nullptr;
}

const char* read_time(std::string_view text, int64_t& time_ns) {
  const TimeReading reading = read_time_text(text);
  if (reading.status == TimeReading::Status::unreadable) return "is not a time";
  if (reading.status == TimeReading::Status::out_of_range) return "is out of range (botd reads times from 1970 to 2199)";
  time_ns = reading.time_ns;
  return nullptr;
}

}  // namespace botd
