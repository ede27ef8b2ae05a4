// HtmlCells: the cells of declared columns (io/cell_writer.h) as HTML text for a table that
// people read: escaped, reals with at most 3 decimals, times to the second
// ("2011-08-16T10:05:00Z"), numbers marked so that a page can right-align them.
// html_escape() escapes any text for an HTML page. Not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "io/cell_writer.h"
#include "io/text_format.h"

namespace botd {

// & < > " escaped.
std::string html_escape(std::string_view text);

class HtmlCells : public CellWriter {
 public:
  struct Cell {
    std::string html;  // escaped
    bool number = false;
  };

  // The cells of one row, in column order.
  template <typename Row>
  const std::vector<Cell>& of(Columns<Row> columns, const Row& row) {
    cells_.clear();
    write_cells(columns, row, *this);
    return cells_;
  }

  void empty() override { cells_.push_back({}); }
  void integer(int64_t value) override;
  void count(uint64_t value) override;
  void real(double value, int decimals) override;
  void shortest(float value) override;
  void text(std::string_view value) override { cells_.push_back({html_escape(value)}); }
  void time(int64_t time_ns, TimeForm form) override;

 private:
  void number(const cell_text::Buffer& text) { cells_.push_back({fmt::to_string(text), true}); }
  std::vector<Cell> cells_;
};

}  // namespace botd
