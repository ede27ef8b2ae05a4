#include "io/text_format.h"

#include <chrono>
#include <cmath>
#include <iterator>

#include <fmt/compile.h>
#include <nlohmann/json.hpp>

#include "core/time_format.h"
#include "core/utf8.h"

namespace botd::cell_text {
namespace {

bool needs_csv_quotes(std::string_view text) {
  // A plain loop: string_view::find_first_of calls memchr over the set for every character,
  // which was 14% of `botd flows` on a large capture.
  for (char c : text)
    if (c == ',' || c == '"' || c == '\n' || c == '\r' || c == '\t') return true;
  return false;
}

int64_t floor_div(int64_t value, int64_t divisor) {
  const int64_t quotient = value / divisor;
  return quotient * divisor > value ? quotient - 1 : quotient;
}

// Appends `value` as exactly `width` decimal digits. REQUIRES: value < 10^width.
void append_digits(Buffer& out, uint64_t value, int width) {
  char digits[20];
  for (int i = width - 1; i >= 0; --i, value /= 10) digits[i] = char('0' + value % 10);
  out.append(digits, digits + width);
}

// "1313488906.972101"; "-1.500000" before 1970.
void append_epoch_time(Buffer& out, int64_t time_ns) {
  const uint64_t magnitude = time_ns < 0 ? uint64_t(0) - uint64_t(time_ns) : uint64_t(time_ns);
  const uint64_t micros = magnitude / uint64_t(kNanosPerMicro);
  if (time_ns < 0) out.push_back('-');
  append_count(out, micros / 1'000'000);
  out.push_back('.');
  append_digits(out, micros % 1'000'000, 6);
}

}  // namespace

void append_csv_field(Buffer& out, std::string_view text) {
  if (!needs_csv_quotes(text)) {
    append(out, text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_json_string(Buffer& out, std::string_view text) {
  out.push_back('"');
  while (!text.empty()) {
    const char c = text.front();
    const size_t length = utf8_sequence_length(text);
    if (length == 0) {
      append(out, "\xEF\xBF\xBD");  // U+FFFD
      text.remove_prefix(1);
      continue;
    }
    if (length > 1) {
      append(out, text.substr(0, length));
    } else if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (uint8_t(c) < 0x20) {
      switch (c) {
        case '\b': append(out, "\\b"); break;
        case '\f': append(out, "\\f"); break;
        case '\n': append(out, "\\n"); break;
        case '\r': append(out, "\\r"); break;
        case '\t': append(out, "\\t"); break;
        default: fmt::format_to(std::back_inserter(out), "\\u{:04x}", unsigned(c));
      }
    } else {
      out.push_back(c);
    }
    text.remove_prefix(length);
  }
  out.push_back('"');
}

void append_zeek_field(Buffer& out, std::string_view text) {
  if (text.empty()) return append(out, "(empty)");
  const bool looks_like_a_marker = text == "-" || text == "(empty)";
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = uint8_t(text[i]);
    if (byte < 0x20 || byte == 0x7f || byte == '\\' || (i == 0 && looks_like_a_marker))
      fmt::format_to(std::back_inserter(out), "\\x{:02x}", byte);
    else
      out.push_back(text[i]);
  }
}

void append_integer(Buffer& out, int64_t value) {
  const fmt::format_int digits(value);
  out.append(digits.data(), digits.data() + digits.size());
}

void append_count(Buffer& out, uint64_t value) {
  const fmt::format_int digits(value);
  out.append(digits.data(), digits.data() + digits.size());
}

void append_fixed(Buffer& out, double value, int decimals) {
  if (std::isnan(value)) return append(out, std::signbit(value) ? "-nan" : "nan");
  if (decimals == 6) fmt::format_to(std::back_inserter(out), FMT_COMPILE("{:.6f}"), value);  // the common case
  else fmt::format_to(std::back_inserter(out), "{:.{}f}", value, decimals);
}

void append_shortest_double(Buffer& out, double value) {
  // nlohmann's form (what reports have always had): "1.0" for whole numbers, "1e-05".
  append(out, nlohmann::json(value).dump());
}

void append_shortest_float(Buffer& out, float value) { fmt::format_to(std::back_inserter(out), "{}", value); }

void TimeFormatter::append(Buffer& out, int64_t time_ns, TimeForm form) {
  switch (form) {
    case TimeForm::iso8601: return append_iso8601(out, time_ns);
    case TimeForm::ctu13: return append_ctu13(out, time_ns);
    case TimeForm::epoch: return append_epoch_time(out, time_ns);
  }
}

void TimeFormatter::append_iso8601(Buffer& out, int64_t time_ns) {
  if (time_ns != cached_iso8601_ns_ || iso8601_.empty()) {
    iso8601_ = format_iso8601(time_ns);
    cached_iso8601_ns_ = time_ns;
  }
  cell_text::append(out, iso8601_);
}

// "2011/08/16 10:01:46.972101".
void TimeFormatter::append_ctu13(Buffer& out, int64_t time_ns) {
  const int64_t micros = floor_div(time_ns, kNanosPerMicro);
  const int64_t seconds = floor_div(micros, 1'000'000);
  const int64_t day = floor_div(seconds, 86'400);
  if (day != cached_day_ || date_.empty()) {
    const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
    date_ = fmt::format("{:04d}/{:02d}/{:02d} ", int(date.year()), unsigned(date.month()), unsigned(date.day()));
    cached_day_ = day;
  }
  cell_text::append(out, date_);
  const int64_t second_of_day = seconds - day * 86'400;
  append_digits(out, uint64_t(second_of_day / 3600), 2);
  out.push_back(':');
  append_digits(out, uint64_t(second_of_day / 60 % 60), 2);
  out.push_back(':');
  append_digits(out, uint64_t(second_of_day % 60), 2);
  out.push_back('.');
  append_digits(out, uint64_t(micros - seconds * 1'000'000), 6);
}

}  // namespace botd::cell_text
