// CsvRecordReader: cuts an InputStream into CSV records and splits them into fields, fast
// (big block reads, memchr, string_views into its own buffer: no copy per field).
//
// A record is one line, or several when a quoted field holds line breaks (RFC 4180). Line ends
// are LF, CRLF or CR, whichever the file's first line break is; blank lines are skipped. A '"' opens a quoted field only at the start of a
// field; inside one, "" is a quote. Anywhere else a '"' is an ordinary character.
//
// Errors: next() throws Error ("NAME: ..." or "NAME:LINE: ...") when the input cannot be read
// or a record is longer than max_record_bytes. split() returns what is wrong with a record
// (an unterminated quoted field, text after a closing quote) instead of throwing, so that the
// caller can skip it.
//
// Not thread-safe. Views returned stay valid until the next call to next().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace botd {

class InputStream;

class CsvRecordReader {
 public:
  static constexpr size_t kDefaultMaxRecordBytes = 16 << 20;

  explicit CsvRecordReader(InputStream& input, size_t max_record_bytes = kDefaultMaxRecordBytes);

  // The field delimiter, for telling a quote that opens a field from one inside a field;
  // until it is set (while reading a header line), a comma or a tab.
  void set_delimiter(char delimiter);

  // Moves to the next non-blank record. Returns false at the end of the input.
  bool next();
  // The current record as it is in the file, without its line end.
  // REQUIRES: split() has not been called on this record (it unescapes in place).
  std::string_view text() const { return {buffer_.data() + record_begin_, record_size_}; }
  // The 1-based line number where the current record starts.
  uint64_t line() const { return record_line_; }

  // Splits the current record into `fields` at `delimiter`, removing quotes. Returns an empty
  // string on success, else what is wrong ("unterminated quoted field in field 3").
  std::string split(char delimiter, std::vector<std::string_view>& fields);

 private:
  bool fill();  // reads more input after end_; false at its end
  size_t make_room();  // returns how many bytes to read next; there is room for them after end_
  bool opens_quote(const char* record, size_t at) const;  // a '"' at record[at] starts a quoted field
  void detect_line_end();

  InputStream& input_;
  size_t max_record_bytes_;
  char delimiter_ = 0;
  char line_end_ = 0;  // '\n' (LF or CRLF) or '\r' (CR alone); 0 until the first line break is seen
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;  // unconsumed input: buffer_[begin_, end_)
  bool at_end_ = false;
  uint64_t next_line_ = 1;
  size_t record_begin_ = 0, record_size_ = 0;
  uint64_t record_line_ = 0;
};

}  // namespace botd
