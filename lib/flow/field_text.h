// Field text, read the same way by the flow-file reader and the Zeek reader: how a message
// shows a field, what is wrong with a field's bytes, and times and durations with the same
// bounds and the same messages. Internal to the flow layer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace botd {

// A field's text as messages show it: at most 60 bytes, control characters as '?'.
std::string shown(std::string_view text);

// What is wrong with a field's bytes, or nullptr: botd's outputs hold text, so a field may not
// hold a NUL, a control character (tab excepted; line breaks too when `line_breaks_allowed`,
// as a quoted CSV field may hold them) or bytes that are not UTF-8.
const char* bad_bytes(std::string_view field, bool line_breaks_allowed);

// A count (a whole number from 0 to 2^64 - 1) into `out`; false with `why` ("NAME is negative:
// 'TEXT'", "... not a whole number ...") when it is not one.
bool read_count_field(std::string_view text, std::string_view name, std::optional<uint64_t>& out, std::string& why);

// A time (core/time_format.h's forms, 1970 to 2199) into `out`; false with `why` ("NAME is
// ...: 'TEXT'") when it is not one.
bool read_time_field(std::string_view text, std::string_view name, std::optional<int64_t>& out, std::string& why);

// A duration in seconds: a number, finite, not negative, at most kLongestDurationNs.
bool read_duration_field(std::string_view text, std::string_view name, std::optional<double>& out, std::string& why);

}  // namespace botd
