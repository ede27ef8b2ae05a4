// RowWriter: rows out as CSV, JSON lines or a Zeek TSV log — the one place that writes any of
// them (the cell kinds and how each format prints them: io/cell_writer.h).
//
//   CSV         a header line of the column names, then one line per row, cells joined by
//               commas, lines ending in "\n" (RFC 4180 quoting; no quotes on the header
//               unless a name needs them).
//   JSON lines  one object per row on its own line (RFC 8259, compact, "\n"-terminated), the
//               column names as keys in column order.
//   Zeek TSV    Zeek's ASCII log (LogAscii): the header lines #separator \x09,
//               #set_separator ",", #empty_field (empty), #unset_field -, #path, #open,
//               #fields, #types, then one line per row, cells joined by tabs, and #close at
//               the end (#open and #close: the time of writing, UTC, %Y-%m-%d-%H-%M-%S).
//               An empty cell is "-" (unset), empty text "(empty)"; in text, a tab, a
//               backslash and bytes below 0x20 or 0x7f are \xHH, and text that reads "-" or
//               "(empty)" has its first byte escaped; times are epoch seconds ("1547127288.026074").
//
// Usage: one cell call per column, in column order, then end_row(); finish() after the last
// row writes what is buffered. Rows are buffered and handed to the OutputFile in blocks;
// flush() hands over what is buffered now (a live feed). Throws Error (naming the output)
// when it cannot be written. Not thread-safe; `out` must outlive the writer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "io/cell_writer.h"

namespace botd {

class OutputFile;

enum class RowFormat { csv, json_lines, zeek_tsv };

class RowWriter : public CellWriter {
 public:
  // Ends the current row.
  virtual void end_row() = 0;
  // Hands what is buffered to the output.
  virtual void flush() = 0;
  // Call once, after the last row: ends the document (Zeek's #close) and flushes.
  virtual void finish() { flush(); }

  // Writes one row of a row type with declared columns.
  template <typename Row>
  void write(Columns<Row> columns, const Row& row) {
    write_cells(columns, row, *this);
    end_row();
  }
};

// A CSV writer prints its header line at once, so that an output without rows still has one.
// REQUIRES: format is csv or json_lines.
std::unique_ptr<RowWriter> make_row_writer(OutputFile& out, RowFormat format, std::vector<std::string> column_names);

// A Zeek log (#path `path`) of these columns and Zeek types ("time", "addr", "port", "count",
// "interval", "string", "enum", "bool", "set[string]"), header lines written at once.
// REQUIRES: as many types as names.
std::unique_ptr<RowWriter> make_zeek_log_writer(OutputFile& out, std::string_view path, std::vector<std::string> names,
                                                const std::vector<std::string>& types);

// The names of declared columns, for make_row_writer().
template <typename Row>
std::vector<std::string> column_names(Columns<Row> columns) {
  std::vector<std::string> names;
  for (const Column<Row>& column : columns) names.emplace_back(column.name);
  return names;
}

}  // namespace botd
