#include "core/time_format.h"

#include <time.h>

#include <charconv>
#include <chrono>
#include <limits>

#include <fmt/format.h>

namespace botd {
namespace {

struct CivilTime {
  int year;
  unsigned month, day, hour, minute, second;
  int64_t fraction_ns;
};

CivilTime to_civil(int64_t time_ns) {
  using namespace std::chrono;
  int64_t seconds = time_ns / kNanosPerSecond;
  int64_t fraction = time_ns % kNanosPerSecond;
  if (fraction < 0) {  // floor division for times before 1970
    fraction += kNanosPerSecond;
    --seconds;
  }
  const sys_seconds tp{std::chrono::seconds{seconds}};
  const sys_days day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  return {int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()), unsigned(hms.hours().count()),
          unsigned(hms.minutes().count()), unsigned(hms.seconds().count()), fraction};
}

// ".5", ".000123": the fraction with trailing zeros dropped; empty for whole seconds.
std::string fraction_suffix(int64_t fraction_ns) {
  if (fraction_ns == 0) return {};
  std::string digits = fmt::format("{:09d}", fraction_ns);
  digits.erase(digits.find_last_not_of('0') + 1);
  return "." + digits;
}

// Parses an unsigned decimal field of exactly `width` digits at text[pos].
std::optional<unsigned> digits_at(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + width, value);
  if (ec != std::errc{} || end != text.data() + pos + width) return std::nullopt;
  return value;
}

// Parses ".123456789" (1 to 9 digits) into nanoseconds; an empty string is 0.
std::optional<int64_t> parse_fraction(std::string_view text) {
  if (text.empty()) return 0;
  if (text[0] != '.' || text.size() < 2 || text.size() > 10) return std::nullopt;
  int64_t value = 0;
  for (char c : text.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  for (size_t i = text.size() - 1; i < 9; ++i) value *= 10;
  return value;
}

using Status = TimeReading::Status;

TimeReading unreadable() { return {}; }

// seconds * 10^9 + fraction_ns, when it fits in int64_t (1677-09-21 to 2262-04-11).
TimeReading from_parts(int64_t seconds, int64_t fraction_ns) {
  if (seconds < std::numeric_limits<int64_t>::min() / kNanosPerSecond ||
      seconds > (std::numeric_limits<int64_t>::max() - fraction_ns) / kNanosPerSecond)
    return {Status::out_of_range, 0};
  return {Status::ok, seconds * kNanosPerSecond + fraction_ns};
}

TimeReading parse_calendar(std::string_view text) {
  // "YYYY-MM-DDTHH:MM:SS[.f][Z]", also with '/' between date parts and ' ' before the time.
  if (text.size() < 19) return unreadable();
  const char date_sep = text[4];
  if ((date_sep != '-' && date_sep != '/') || text[7] != date_sep) return unreadable();
  if ((text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') return unreadable();
  auto year = digits_at(text, 0, 4), month = digits_at(text, 5, 2), day = digits_at(text, 8, 2);
  auto hour = digits_at(text, 11, 2), minute = digits_at(text, 14, 2), second = digits_at(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return unreadable();
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest.back() == 'Z') rest.remove_suffix(1);
  auto fraction = parse_fraction(rest);
  if (!fraction) return unreadable();
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year(int(*year)), std::chrono::month(*month), std::chrono::day(*day)};
  if (!ymd.ok() || *hour > 23 || *minute > 59 || *second > 60) return unreadable();
  const int64_t days_since_epoch = sys_days(ymd).time_since_epoch().count();
  return from_parts(days_since_epoch * 86400 + *hour * 3600 + *minute * 60 + *second, *fraction);
}

// Seconds since the epoch, "-" allowed (for durations the caller refuses it).
TimeReading parse_epoch(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  if (!text.empty() && text[0] == '-') return unreadable();  // from_chars would take a second sign
  const size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  if (whole.empty()) return unreadable();
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
  if (end != whole.data() + whole.size() || (ec != std::errc{} && ec != std::errc::result_out_of_range))
    return unreadable();
  auto fraction = parse_fraction(dot == std::string_view::npos ? std::string_view{} : text.substr(dot));
  if (!fraction) return unreadable();
  if (ec == std::errc::result_out_of_range) return {Status::out_of_range, 0};
  TimeReading reading = from_parts(seconds, *fraction);
  if (negative) reading.time_ns = -reading.time_ns;
  return reading;
}

}  // namespace

int64_t realtime_now_ns() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return int64_t(now.tv_sec) * kNanosPerSecond + now.tv_nsec;
}

std::string format_iso8601(int64_t time_ns) {
  const CivilTime t = to_civil(time_ns);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}Z", t.year, t.month, t.day, t.hour, t.minute,
                     t.second, fraction_suffix(t.fraction_ns));
}

std::string format_iso8601_basic(int64_t time_ns) {
  const CivilTime t = to_civil(time_ns);
  return fmt::format("{:04d}{:02d}{:02d}T{:02d}{:02d}{:02d}{}Z", t.year, t.month, t.day, t.hour, t.minute,
                     t.second, fraction_suffix(t.fraction_ns));
}

std::string format_seconds(int64_t duration_ns) {
  const char* sign = duration_ns < 0 ? "-" : "";
  const int64_t magnitude = duration_ns < 0 ? -duration_ns : duration_ns;
  return fmt::format("{}{}{}", sign, magnitude / kNanosPerSecond, fraction_suffix(magnitude % kNanosPerSecond));
}

TimeReading read_time_text(std::string_view text) {
  const bool calendar = text.size() >= 19 && (text[4] == '-' || text[4] == '/');
  TimeReading reading = calendar ? parse_calendar(text) : parse_epoch(text);
  if (reading.status == Status::ok && !in_time_range(reading.time_ns)) reading.status = Status::out_of_range;
  return reading;
}

std::optional<int64_t> parse_time(std::string_view text) {
  const TimeReading reading = read_time_text(text);
  if (reading.status != TimeReading::Status::ok) return std::nullopt;
  return reading.time_ns;
}

std::string_view time_problem(TimeReading::Status status) {
  return status == TimeReading::Status::out_of_range ? "out of range (botd reads times from 1970 to 2199)"
                                                     : "not a time";
}

std::optional<int64_t> parse_seconds(std::string_view text) {
  if (text.empty() || text[0] == '-') return std::nullopt;
  const TimeReading reading = parse_epoch(text);
  if (reading.status != Status::ok) return std::nullopt;
  return reading.time_ns;
}

}  // namespace botd
