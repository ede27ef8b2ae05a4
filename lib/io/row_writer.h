// RowWriter: rows out as CSV or as JSON lines — the one place that writes either (the cell
// kinds and how each format prints them: io/cell_writer.h). make_row_writer() is the only
// place that chooses between them.
//
//   CSV         a header line of the column names, then one line per row, cells joined by
//               commas, lines ending in "\n" (RFC 4180 quoting; no quotes on the header
//               unless a name needs them).
//   JSON lines  one object per row on its own line (RFC 8259, compact, "\n"-terminated), the
//               column names as keys in column order.
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

enum class RowFormat { csv, json_lines };

class RowWriter : public CellWriter {
 public:
  // Ends the current row.
  virtual void end_row() = 0;
  // Hands what is buffered to the output.
  virtual void flush() = 0;
  // Call once, after the last row.
  void finish() { flush(); }

  // Writes one row of a row type with declared columns.
  template <typename Row>
  void write(Columns<Row> columns, const Row& row) {
    write_cells(columns, row, *this);
    end_row();
  }
};

// A CSV writer prints its header line at once, so that an output without rows still has one.
std::unique_ptr<RowWriter> make_row_writer(OutputFile& out, RowFormat format, std::vector<std::string> column_names);

// The names of declared columns, for make_row_writer().
template <typename Row>
std::vector<std::string> column_names(Columns<Row> columns) {
  std::vector<std::string> names;
  for (const Column<Row>& column : columns) names.emplace_back(column.name);
  return names;
}

}  // namespace botd
