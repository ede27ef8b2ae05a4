// The output layer's vocabulary: a row type declares its columns once, as Column<Row>s, and
// every format writes them through a CellWriter. This is how botd writes all of its CSV and
// JSON (io/row_writer.h for CSV and JSON lines, io/json_writer.h for JSON documents) and the
// cells of its HTML tables (io/html_cells.h): the formats differ in quoting and layout, never in
// which columns a row has or what they are called.
//
// A column's write function states what kind of value a cell holds (a count, a real with so
// many decimals, a time, text, nothing); the writer alone turns it into text:
//   empty()            CSV: nothing; JSON: null
//   integer(), count() decimal digits in every format
//   real(v, d)         CSV and JSON lines: d decimals ("0.500000"), NaN as "nan" or "-nan" in CSV
//                      (as ra prints it) and null in JSON, infinities likewise; JSON documents
//                      (reports): the shortest text that reads back the same double ("0.5")
//   shortest(f)        the shortest text that reads back the same float32 (features)
//   text(s)            CSV: quoted when it holds a comma, quote, tab or line break (RFC 4180);
//                      JSON: a string (invalid UTF-8 bytes become U+FFFD)
//   text(s, csv_form)  the same, but CSV shows csv_form (ra aligns its Dir column with spaces)
//   time(t, form)      iso8601 "2011-08-16T10:00:00Z" (a string); ctu13 "2011/08/16
//                      10:01:46.972101" (a string, microseconds truncated); epoch
//                      "1313488906.972101" (a number)
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace botd {

enum class TimeForm : uint8_t { iso8601, ctu13, epoch };

class CellWriter {
 public:
  virtual ~CellWriter() = default;
  virtual void empty() = 0;
  virtual void integer(int64_t value) = 0;
  virtual void count(uint64_t value) = 0;
  virtual void real(double value, int decimals) = 0;
  virtual void shortest(float value) = 0;
  virtual void text(std::string_view value) = 0;
  virtual void text(std::string_view value, std::string_view /*csv_form*/) { text(value); }
  virtual void time(int64_t time_ns, TimeForm form) = 0;
};

// One column of a row type: its name (the CSV header, the JSON key), how a row's value is
// written, and, for the files botd reads back, how it is read. `read` returns nullptr when
// the text was read into the row, else what is wrong with it ("is not a count"), which the
// reader puts after the column's name and the text in its error message. A column that is
// not `required` may be missing from a file read back (one botd added later): its member then
// keeps the value the row had.
template <typename Row>
struct Column {
  std::string_view name;
  void (*write)(const Row& row, CellWriter& cell);
  const char* (*read)(std::string_view text, Row& row) = nullptr;
  std::string_view title = {};  // for people (HTML table headers); empty: the name
  bool required = true;

  std::string_view heading() const { return title.empty() ? name : title; }
};

template <typename Row>
using Columns = std::span<const Column<Row>>;

// Writes one row's cells, in column order.
template <typename Row>
void write_cells(Columns<Row> columns, const Row& row, CellWriter& cells) {
  for (const Column<Row>& column : columns) column.write(row, cells);
}

// Readers for Column::read, for the cell kinds above: each returns nullptr on success.
const char* read_count(std::string_view text, uint64_t& value);
const char* read_real(std::string_view text, double& value);
const char* read_time(std::string_view text, int64_t& time_ns);  // any form time() writes

}  // namespace botd
