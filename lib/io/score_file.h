// Score files: the ScoreRows `botd score` writes and `botd report` reads back.
//
// Writers share one interface (ScoreSink); make_score_writer() is the only place that
// chooses a format. The schema (CSV header, JSON keys) is documented in score_file.cc next to
// the code that writes it, and in docs/detection.md.
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

#include "score/score_row.h"

namespace botd {

class InputStream;
class OutputFile;

enum class ScoreFormat { csv, json };  // json: JSON lines, one object per row

class ScoreSink {
 public:
  virtual ~ScoreSink() = default;
  virtual void write(const ScoreRow& row) = 0;
  virtual void finish() = 0;  // call once, after the last row
};

// A CSV writer prints its header at once, so that an input without hosts still gives one.
std::unique_ptr<ScoreSink> make_score_writer(OutputFile& out, ScoreFormat format);

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
