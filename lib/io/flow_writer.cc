#include "io/flow_writer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "core/time_format.h"
#include "io/csv_field.h"
#include "io/output_file.h"

namespace botd {
namespace {

constexpr size_t kFlushBytes = 256 * 1024;

// ---- One cell: a column's value for one record, as text, shared by both formats.
//
// Values print as `ra -n -Z b -p 6 -c ,` prints them:
//   StartTime   ctu13 style "2011/08/16 10:01:46.972101" (UTC), or epoch style
//               "1313488906.972101"; microseconds, truncated
//   Dur, and the real extended fields (SrcLoad, SIntPkt, Rate, ...)   "%.6f": "0.101592"
//   sTos, dTos, TotPkts, TotBytes, SrcBytes, and the integer extended fields (sTtl, SrcPkts,
//               sMaxPktSz, ...)   plain integers
//   Proto, SrcAddr, Sport, Dir, DstAddr, Dport, State, Label, extra columns   as text
//   Window      ISO 8601 UTC, "2011-08-16T10:00:00Z"
// A value the record lacks (std::nullopt, "", an extended field's NaN) is empty; an extended
// field's NaN with the sign bit set is "-nan", as ra prints it.
// Not kept: nanoseconds (ra keeps microseconds), and "nan" without a sign in an extended field
// (read as absent, written as empty; ra on x86 prints "-nan").

enum class CellKind { empty, number, text };

struct Cell {
  CellKind kind = CellKind::empty;
  std::string_view text;
  bool finite = true;  // for numbers: false for inf and nan, which JSON cannot hold
};

int64_t floor_div(int64_t value, int64_t divisor) {
  const int64_t quotient = value / divisor;
  return quotient * divisor > value ? quotient - 1 : quotient;
}

// Appends `value` as exactly `width` decimal digits. REQUIRES: value < 10^width.
void append_digits(fmt::memory_buffer& out, uint64_t value, int width) {
  char digits[20];
  for (int i = width - 1; i >= 0; --i, value /= 10) digits[i] = char('0' + value % 10);
  out.append(digits, digits + width);
}

// "2011/08/16 10:01:46.972101". Flows come roughly in time order, so the date part of the
// previous call is kept.
class Ctu13TimeFormatter {
 public:
  void append(fmt::memory_buffer& out, int64_t time_ns) {
    const int64_t micros = floor_div(time_ns, kNanosPerMicro);
    const int64_t seconds = floor_div(micros, 1'000'000);
    const int64_t day = floor_div(seconds, 86'400);
    if (day != cached_day_ || date_.empty()) {
      const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
      date_ = fmt::format("{:04d}/{:02d}/{:02d} ", int(date.year()), unsigned(date.month()), unsigned(date.day()));
      cached_day_ = day;
    }
    out.append(date_);
    const int64_t second_of_day = seconds - day * 86'400;
    append_digits(out, uint64_t(second_of_day / 3600), 2);
    out.push_back(':');
    append_digits(out, uint64_t(second_of_day / 60 % 60), 2);
    out.push_back(':');
    append_digits(out, uint64_t(second_of_day % 60), 2);
    out.push_back('.');
    append_digits(out, uint64_t(micros - seconds * 1'000'000), 6);
  }

 private:
  int64_t cached_day_ = 0;
  std::string date_;
};

// "1313488906.972101"; "-1.500000" before 1970.
void append_epoch_time(fmt::memory_buffer& out, int64_t time_ns) {
  const uint64_t magnitude = time_ns < 0 ? uint64_t(0) - uint64_t(time_ns) : uint64_t(time_ns);
  const uint64_t micros = magnitude / uint64_t(kNanosPerMicro);
  if (time_ns < 0) out.push_back('-');
  out.append(fmt::format_int(micros / 1'000'000).str());
  out.push_back('.');
  append_digits(out, micros % 1'000'000, 6);
}

class CellFormatter {
 public:
  explicit CellFormatter(TimeStyle time_style) : time_style_(time_style) {}

  // The returned text stays valid until the next call.
  Cell format(const FlowColumn& column, const FlowRecord& record) {
    scratch_.clear();
    switch (column.field) {
      case FlowField::start_time:
        if (time_style_ == TimeStyle::ctu13) {
          ctu13_time_.append(scratch_, record.start_ns);
          return {CellKind::text, view()};
        }
        append_epoch_time(scratch_, record.start_ns);
        return {CellKind::number, view()};
      case FlowField::duration: return record.duration_s ? real(*record.duration_s) : Cell{};
      case FlowField::proto: return text(record.proto);
      case FlowField::src_addr: return text(record.src_addr);
      case FlowField::sport: return text(record.sport);
      case FlowField::dir: return text(record.dir);
      case FlowField::dst_addr: return text(record.dst_addr);
      case FlowField::dport: return text(record.dport);
      case FlowField::state: return text(record.state);
      case FlowField::stos: return record.stos ? integer(*record.stos) : Cell{};
      case FlowField::dtos: return record.dtos ? integer(*record.dtos) : Cell{};
      case FlowField::total_packets: return record.total_packets ? integer(*record.total_packets) : Cell{};
      case FlowField::total_bytes: return record.total_bytes ? integer(*record.total_bytes) : Cell{};
      case FlowField::src_bytes: return record.src_bytes ? integer(*record.src_bytes) : Cell{};
      case FlowField::extended: return extended(column.index, record.extended[column.index]);
      case FlowField::window:
        if (!record.window_start_ns) return {};
        scratch_.append(format_iso8601(*record.window_start_ns));
        return {CellKind::text, view()};
      case FlowField::label: return text(record.label);
      case FlowField::extra: return column.index < record.extra.size() ? text(record.extra[column.index]) : Cell{};
    }
    return {};
  }

 private:
  std::string_view view() const { return {scratch_.data(), scratch_.size()}; }
  static Cell text(std::string_view value) { return value.empty() ? Cell{} : Cell{CellKind::text, value}; }

  template <typename Integer>
  Cell integer(Integer value) {
    const fmt::format_int text(value);
    scratch_.append(text.data(), text.data() + text.size());
    return {CellKind::number, view()};
  }

  Cell real(double value) {
    if (std::isnan(value)) scratch_.append(std::string_view(std::signbit(value) ? "-nan" : "nan"));
    else fmt::format_to(std::back_inserter(scratch_), FMT_COMPILE("{:.6f}"), value);
    return {CellKind::number, view(), std::isfinite(value)};
  }

  // A NaN is an absent value (empty) unless its sign bit is set: ra prints "-nan" for some
  // jitters (x86's 0/0), and the reader keeps that as -NaN so that it prints back the same.
  Cell extended(size_t field, double value) {
    if (std::isnan(value) && !std::signbit(value)) return {};
    // Integer fields print as integers; a fraction (never from ra) keeps its digits.
    if (extended_field_info()[field].integer && value == std::floor(value) && std::fabs(value) < 0x1p63)
      return integer(int64_t(value));
    return real(value);
  }

  TimeStyle time_style_;
  Ctu13TimeFormatter ctu13_time_;
  fmt::memory_buffer scratch_;
};

// ---- The two formats.

class BufferedFlowWriter : public FlowSink {
 public:
  BufferedFlowWriter(OutputFile& out, FlowColumns columns, TimeStyle time_style)
      : out_(out), columns_(std::move(columns)), cells_(time_style) {}

  void finish() override { flush(); }

 protected:
  void flush_if_full() {
    if (buffer_.size() >= kFlushBytes) flush();
  }
  void flush() {
    out_.write({buffer_.data(), buffer_.size()});
    buffer_.clear();
  }

  OutputFile& out_;
  FlowColumns columns_;
  CellFormatter cells_;
  fmt::memory_buffer buffer_;
};

// CSV, as `ra -c ,` prints it:
//   header   the column names joined by commas, in ra's spelling:
//            StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes
//   rows     one per flow, the cells above joined by commas, lines ending in "\n"; Dir is
//            padded as ra pads it ("   ->", "  <->", "  <-", "  who", see append_dir()); an
//            empty value is nothing (",,"); a value holding a comma, a quote, a tab or a line
//            break is quoted, RFC 4180 style ("a ""b"", c").
//   e.g.     2011/08/16 10:01:46.972101,3599.986572,tcp,88.176.79.163,49213,  <?>,147.32.84.172,18250,A_PA,0,0,414671,415389446,10150692
class CsvFlowWriter : public BufferedFlowWriter {
 public:
  CsvFlowWriter(OutputFile& out, FlowColumns columns, TimeStyle time_style)
      : BufferedFlowWriter(out, std::move(columns), time_style) {
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) buffer_.push_back(',');
      append_field(columns_[i].name);
    }
    buffer_.push_back('\n');
  }

  void write(const FlowRecord& record) override {
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) buffer_.push_back(',');
      const Cell cell = cells_.format(columns_[i], record);
      if (cell.kind == CellKind::empty) continue;
      if (columns_[i].field == FlowField::dir) {
        append_dir(cell.text);
        continue;
      }
      append_field(cell.text);
    }
    buffer_.push_back('\n');
    flush_if_full();
  }

 private:
  // ra puts the direction's middle character ('-', '?') in the 4th column: "   ->", "  <->",
  // "  <-" (not right-aligned), "   ?>", "  who".
  void append_dir(std::string_view dir) {
    padded_dir_.assign(dir.size() >= 3 || dir.front() == '<' ? "  " : "   ");
    padded_dir_.append(dir);
    append_field(padded_dir_);  // quoted as a whole if it needs quotes
  }

  void append_field(std::string_view text) { append_csv_field(buffer_, text); }

  std::string padded_dir_;
};

// JSON lines (RFC 8259 objects, one per line, "\n"-terminated), one object per flow:
//   keys     the column names, as in the CSV header, in column order
//   values   numbers as JSON numbers, with the same text as in CSV (3599.986572, 414671);
//            StartTime a string in ctu13 style, a number in epoch style; Window, Label, the
//            address, port, Proto, Dir (not padded: "->") and State columns and extra columns
//            as strings; a value the record lacks (or an infinite or NaN number) as null.
//            Text that is not valid UTF-8 has each bad byte replaced by U+FFFD.
//   e.g.     {"StartTime":"2011/08/16 10:01:46.972101","Dur":3599.986572,"Proto":"tcp",...,"Label":"flow=Background"}
class JsonLinesFlowWriter : public BufferedFlowWriter {
 public:
  JsonLinesFlowWriter(OutputFile& out, FlowColumns columns, TimeStyle time_style)
      : BufferedFlowWriter(out, std::move(columns), time_style) {}

  void write(const FlowRecord& record) override {
    buffer_.push_back('{');
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) buffer_.push_back(',');
      append_string(columns_[i].name);
      buffer_.push_back(':');
      const Cell cell = cells_.format(columns_[i], record);
      if (cell.kind == CellKind::empty || (cell.kind == CellKind::number && !cell.finite)) buffer_.append(std::string_view("null"));
      else if (cell.kind == CellKind::number) buffer_.append(cell.text);
      else append_string(cell.text);
    }
    buffer_.append(std::string_view("}\n"));
    flush_if_full();
  }

 private:
  void append_string(std::string_view text);
};

// Length of the valid UTF-8 sequence at the start of `text`, or 0 if it is not one.
size_t utf8_sequence_length(std::string_view text) {
  const auto byte = [&](size_t i) { return uint8_t(text[i]); };
  const uint8_t lead = byte(0);
  size_t length;
  uint32_t code_point;
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2, code_point = lead & 0x1f;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3, code_point = lead & 0x0f;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4, code_point = lead & 0x07;
  else return 0;
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3f);
  }
  const bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  const bool surrogate = code_point >= 0xd800 && code_point <= 0xdfff;
  return overlong || surrogate || code_point > 0x10ffff ? 0 : length;
}

void JsonLinesFlowWriter::append_string(std::string_view text) {
  buffer_.push_back('"');
  while (!text.empty()) {
    const char c = text.front();
    const size_t length = utf8_sequence_length(text);
    if (length == 0) {
      buffer_.append(std::string_view("\xEF\xBF\xBD"));  // U+FFFD
      text.remove_prefix(1);
      continue;
    }
    if (length > 1) {
      buffer_.append(text.substr(0, length));
    } else if (c == '"' || c == '\\') {
      buffer_.push_back('\\');
      buffer_.push_back(c);
    } else if (uint8_t(c) < 0x20) {
      switch (c) {
        case '\n': buffer_.append(std::string_view("\\n")); break;
        case '\r': buffer_.append(std::string_view("\\r")); break;
        case '\t': buffer_.append(std::string_view("\\t")); break;
        default: fmt::format_to(std::back_inserter(buffer_), "\\u{:04x}", unsigned(c));
      }
    } else {
      buffer_.push_back(c);
    }
    text.remove_prefix(length);
  }
  buffer_.push_back('"');
}

}  // namespace

std::unique_ptr<FlowSink> make_flow_writer(OutputFile& out, FlowFormat format, FlowColumns columns,
                                           TimeStyle time_style) {
  switch (format) {
    case FlowFormat::csv: return std::make_unique<CsvFlowWriter>(out, std::move(columns), time_style);
    case FlowFormat::json: return std::make_unique<JsonLinesFlowWriter>(out, std::move(columns), time_style);
  }
  return nullptr;
}

}  // namespace botd
