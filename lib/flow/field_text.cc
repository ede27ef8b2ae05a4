#include "flow/field_text.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/time_format.h"
#include "core/utf8.h"

namespace botd {

std::string shown(std::string_view text) {
  std::string out(text.substr(0, 60));
  for (char& c : out)
    if (uint8_t(c) < 0x20 || c == 0x7f) c = '?';
  return text.size() > 60 ? out + "..." : out;
}

const char* bad_bytes(std::string_view field, bool line_breaks_allowed) {
  bool ascii = true;
  for (char c : field) {
    const auto byte = uint8_t(c);
    if (byte == 0) return "holds a NUL byte";
    const bool allowed = c == '\t' || (line_breaks_allowed && (c == '\n' || c == '\r'));
    if ((byte < 0x20 && !allowed) || byte == 0x7f) return "holds a control character";
    ascii = ascii && byte < 0x80;
  }
  return ascii || is_valid_utf8(field) ? nullptr : "is not valid UTF-8 text";
}

namespace {

// Why `text` is no valid value for a count: negative, fractional, too large, or not a number.
std::string bad_count(std::string_view text, std::string_view name) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size() || ec == std::errc::invalid_argument || std::isnan(value))
    return fmt::format("{} is not a number: '{}'", name, shown(text));
  if (value < 0) return fmt::format("{} is negative: '{}'", name, shown(text));
  if (ec == std::errc::result_out_of_range || value >= 0x1p64)
    return fmt::format("{} is too large: '{}'", name, shown(text));
  return fmt::format("{} is not a whole number: '{}'", name, shown(text));
}

}  // namespace

bool read_count_field(std::string_view text, std::string_view name, std::optional<uint64_t>& out, std::string& why) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc{} && end == text.data() + text.size() && !text.empty()) {
    out = value;
    return true;
  }
  why = bad_count(text, name);
  return false;
}

bool read_time_field(std::string_view text, std::string_view name, std::optional<int64_t>& out, std::string& why) {
  const TimeReading reading = read_time_text(text);
  if (reading.status != TimeReading::Status::ok) {
    why = fmt::format("{} is {}: '{}'", name, time_problem(reading.status), shown(text));
    return false;
  }
  out = reading.time_ns;
  return true;
}

bool read_duration_field(std::string_view text, std::string_view name, std::optional<double>& out, std::string& why) {
  double seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc::result_out_of_range) why = fmt::format("{} is out of range: '{}'", name, shown(text));
  else if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || std::isnan(seconds))
    why = fmt::format("{} is not a number: '{}'", name, shown(text));
  else if (seconds < 0) why = fmt::format("{} is negative: '{}'", name, shown(text));
  else if (seconds > double(kLongestDurationNs / kNanosPerSecond))
    why = fmt::format("{} is out of range (at most ten years): '{}'", name, shown(text));
  else out = seconds;
  return out.has_value();
}

}  // namespace botd
