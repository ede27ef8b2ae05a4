// Score files: the ScoreRows `botd score` writes and `botd report` reads back, as CSV or JSON
// lines (io/row_writer.h); score_columns() is the schema, declared once, with each column's
// meaning in score_file.cc and in docs/detection.md.
//
// ScoreFileReader reads the CSV form. Its constructor throws Error ("FILE:1: ...") when the
// header lacks a column of the schema; next() throws Error ("FILE:LINE: ...") on a row whose
// value does not parse. Extra columns are ignored; columns may come in any order.
//
// Writers and readers are not thread-safe; a writer writes to `out`, which must outlive it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "io/cell_writer.h"
#include "io/row_writer.h"
#include "score/score_row.h"

namespace botd {

class InputStream;
class OutputFile;

Columns<ScoreRow> score_columns();

// A CSV writer prints its header at once, so that an input without hosts still gives one.
std::unique_ptr<RowWriter> make_score_writer(OutputFile& out, RowFormat format);

// Whether the first line of `head` (a file's first bytes) is a score file's CSV header.
bool looks_like_score_file(std::string_view head);

class ScoreFileReader {
 public:
  explicit ScoreFileReader(std::unique_ptr<InputStream> input);
  ~ScoreFileReader();
  bool next(ScoreRow& row);  // false at the end of the input
  const std::string& name() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace botd
