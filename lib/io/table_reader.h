// TableReader<Row>: reads back a CSV file of declared columns (io/cell_writer.h) that botd
// wrote, e.g. a score file: the header line names the columns, in any order, with any extra
// columns (ignored); each line becomes one Row through the columns' read functions.
//
// Errors (botd::Error): the constructor throws "FILE: empty ..." for an empty input and
// "FILE:LINE: not a KIND file: no column 'X' (botd writes: ...)" when the header lacks a
// declared column that is required (io/cell_writer.h); next() throws "FILE:LINE: ..." for a
// row with the wrong number of fields, broken quoting, or a value its column cannot read
// ("score 'x' is not a number").
// Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/error.h"
#include "io/cell_writer.h"
#include "io/csv_reader.h"
#include "io/input_stream.h"

namespace botd {

template <typename Row>
class TableReader {
 public:
  // `kind` names the file in errors ("botd score").
  TableReader(std::unique_ptr<InputStream> input, Columns<Row> columns, std::string_view kind)
      : input_(std::move(input)), csv_(*input_), columns_(columns) {
    std::vector<std::string> names;
    for (const Column<Row>& column : columns_) names.emplace_back(column.name);
    const std::string expected = fmt::format("{}", fmt::join(names, ","));
    if (!csv_.next()) fail("{}: empty file (expected the header line of a {} file: {})", input_->name(), kind, expected);
    csv_.set_delimiter(',');
    std::vector<std::string_view> fields;
    if (const std::string problem = csv_.split(',', fields); !problem.empty())
      fail("{}:{}: {}", input_->name(), csv_.line(), problem);
    position_.assign(columns_.size(), fields.size());
    for (size_t i = 0; i < fields.size(); ++i)
      for (size_t c = 0; c < columns_.size(); ++c)
        if (fields[i] == columns_[c].name) position_[c] = i;
    for (size_t c = 0; c < columns_.size(); ++c)
      if (position_[c] == fields.size() && columns_[c].required)
        fail("{}:{}: not a {} file: no column '{}' (botd writes: {})", input_->name(), csv_.line(), kind,
             columns_[c].name, expected);
    width_ = fields.size();
  }

  // Reads the next row into `row`; false at the end of the input.
  bool next(Row& row) {
    if (!csv_.next()) {
      if (!input_->read_error().empty()) fail("{}: {}", input_->name(), input_->read_error());
      return false;
    }
    if (const std::string problem = csv_.split(',', fields_); !problem.empty()) bad(problem);
    if (fields_.size() != width_) bad(fmt::format("{} fields, the header has {}", fields_.size(), width_));
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (position_[c] == width_) continue;  // an optional column the file does not have
      const std::string_view text = fields_[position_[c]];
      if (const char* problem = columns_[c].read(text, row))
        bad(fmt::format("{} '{}' {}", columns_[c].name, text, problem));
    }
    return true;
  }

  const std::string& name() const { return input_->name(); }

 private:
  [[noreturn]] void bad(const std::string& problem) const { fail("{}:{}: {}", input_->name(), csv_.line(), problem); }

  std::unique_ptr<InputStream> input_;
  CsvRecordReader csv_;
  Columns<Row> columns_;
  std::vector<size_t> position_;  // of each column in a line
  size_t width_ = 0;
  std::vector<std::string_view> fields_;
};

}  // namespace botd
