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
  const std::optional<int64_t> time = parse_time(text);
  if (!time) return "is not a time";
  time_ns = *time;
  return nullptr;
}

}  // namespace botd
