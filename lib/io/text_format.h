// Private to the output layer: the text of each cell kind (io/cell_writer.h), shared by the
// CSV, JSON and HTML writers so that a value reads the same in every format. Every function
// appends to a fmt::memory_buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "io/cell_writer.h"

namespace botd::cell_text {

using Buffer = fmt::memory_buffer;

inline void append(Buffer& out, std::string_view text) { out.append(text.data(), text.data() + text.size()); }

// RFC 4180: quoted when it holds a comma, a quote, a tab or a line break, quotes doubled.
void append_csv_field(Buffer& out, std::string_view text);
// A JSON string, quotes included; invalid UTF-8 bytes become U+FFFD.
void append_json_string(Buffer& out, std::string_view text);
// A Zeek TSV field (io/row_writer.h): "(empty)" for empty text; a tab, a backslash and control
// bytes as \xHH; a first byte escaped when the text would read as "-" or "(empty)".
void append_zeek_field(Buffer& out, std::string_view text);

void append_integer(Buffer& out, int64_t value);
void append_count(Buffer& out, uint64_t value);
// `decimals` fixed decimals; NaN "nan" or "-nan" (by its sign bit), infinities "inf", "-inf".
void append_fixed(Buffer& out, double value, int decimals);
// The shortest text that reads back the same double, as JSON documents print numbers
// ("0.5", "1.0", "1e-05").
void append_shortest_double(Buffer& out, double value);
// The shortest text that reads back the same float32 ("0.1", "3", "1e-07").
void append_shortest_float(Buffer& out, float value);

// Remembers the date part of the last ctu13 time (flows come roughly in time order), and the
// last iso8601 text: a windowed flow file's Window column repeats one time for a whole window.
class TimeFormatter {
 public:
  void append(Buffer& out, int64_t time_ns, TimeForm form);

 private:
  void append_ctu13(Buffer& out, int64_t time_ns);
  void append_iso8601(Buffer& out, int64_t time_ns);
  int64_t cached_day_ = 0;
  std::string date_;
  int64_t cached_iso8601_ns_ = 0;
  std::string iso8601_;
};

}  // namespace botd::cell_text
