// JsonWriter: one JSON document (RFC 8259) — the report, run statistics, a model's metadata
// attributes — built in memory, member by member. Rows of declared columns become objects
// with fields() (the same names and values as their CSV and JSON-lines forms, io/cell_writer.h;
// reals print in their shortest form here).
//
// Layouts: `indented` puts every member and element on its own line, two spaces per level,
// "key": value, empty containers as {} and [] (the layout of `jq .`); `compact` has no
// whitespace at all.
//
// Usage errors (a key outside an object, a value without a key inside one, unbalanced
// containers) are bugs: they throw std::logic_error. Not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "io/cell_writer.h"
#include "io/text_format.h"

namespace botd {

class JsonWriter : public CellWriter {
 public:
  enum class Layout { compact, indented };
  explicit JsonWriter(Layout layout = Layout::indented) : layout_(layout) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // The next value is this member's. REQUIRES: inside an object.
  JsonWriter& key(std::string_view name);

  void empty() override;  // null
  void integer(int64_t value) override;
  void count(uint64_t value) override;
  void real(double value, int decimals) override;  // shortest form; NaN and infinities null
  void shortest(float value) override;
  void text(std::string_view value) override;
  void time(int64_t time_ns, TimeForm form) override;
  void boolean(bool value);

  // The members of one row, one per column.
  template <typename Row>
  void fields(Columns<Row> columns, const Row& row) {
    for (const Column<Row>& column : columns) {
      key(column.name);
      column.write(row, *this);
    }
  }
  // One row as an object.
  template <typename Row>
  void object(Columns<Row> columns, const Row& row) {
    begin_object();
    fields(columns, row);
    end_object();
  }

  // The document. REQUIRES: every container closed.
  std::string str() const;

 private:
  struct Level {
    bool object;
    bool has_items = false;
    bool keyed = false;  // objects: a key waits for its value
  };
  void before_value();
  void open(bool object, char bracket);
  void close(bool object, char bracket);
  void new_line(size_t depth);

  Layout layout_;
  std::vector<Level> levels_;
  cell_text::Buffer buffer_;
  cell_text::TimeFormatter times_;
};

}  // namespace botd
