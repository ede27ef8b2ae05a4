// Timestamps: botd keeps every time as integer nanoseconds since the Unix epoch (UTC).
// This header converts them to and from the text forms users see.
//
// Formatting never fails. Parsing returns std::nullopt on text it cannot read; callers turn
// that into an Error that names the file and line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace botd {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kNanosPerMicro = 1'000;

// The times botd represents: from 1970-01-01 up to (not including) 2200-01-01 UTC. Within it,
// a time plus any window, step or flow duration botd accepts (at most kLongestDurationNs) fits
// in 64 bits; input times outside it are errors (files) or damage (packets), never wrapped.
constexpr int64_t kEarliestTimeNs = 0;
constexpr int64_t kLatestTimeNs = 7'258'118'400 * kNanosPerSecond;  // 2200-01-01T00:00:00Z, excluded
constexpr int64_t kLongestDurationNs = 3'650LL * 86'400 * kNanosPerSecond;  // ten years
constexpr bool in_time_range(int64_t time_ns) { return time_ns >= kEarliestTimeNs && time_ns < kLatestTimeNs; }

// Now, by the system's real-time clock (CLOCK_REALTIME, the clock of the kernel's packet timestamps).
int64_t realtime_now_ns();

// "2011-08-16T10:00:00Z", with a fraction (".5", ".000123") only when the time is not a whole second.
std::string format_iso8601(int64_t time_ns);

// "20110816T100000Z": the ISO 8601 basic form, safe in file names (no colons).
std::string format_iso8601_basic(int64_t time_ns);

// Seconds as a decimal string with up to 9 fractional digits, trailing zeros dropped ("300", "0.5").
std::string format_seconds(int64_t duration_ns);

// Reads "2011-08-16T10:00:00Z", "2011-08-16T10:00:00.25Z", "2011-08-16 10:00:00" (UTC),
// or seconds since the epoch ("1313488800.25"). nullopt for text that is no time, and for a
// time outside [kEarliestTimeNs, kLatestTimeNs).
std::optional<int64_t> parse_time(std::string_view text);

// The same, telling the two failures apart, for messages: "time out of range" is a time
// botd reads but does not represent.
struct TimeReading {
  enum class Status { ok, unreadable, out_of_range } status = Status::unreadable;
  int64_t time_ns = 0;
};
TimeReading read_time_text(std::string_view text);
// "out of range (botd reads times from 1970 to 2199)" or "not a time".
std::string_view time_problem(TimeReading::Status status);

// Reads a non-negative number of seconds ("300", "0.5") into nanoseconds.
std::optional<int64_t> parse_seconds(std::string_view text);

}  // namespace botd
