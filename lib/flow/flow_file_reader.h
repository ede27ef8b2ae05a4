// FlowFileReader: reads flow files — CTU-13 `.binetflow` files and `ra -c ,` output, and Zeek
// conn.logs — into FlowRecords, one row at a time, driven by the header line.
//
// An input whose first bytes are a Zeek log (looks_like_zeek_log: a `#separator` line, or a
// JSON object with "ts" and "id.orig_h") is read by ZeekConnReader (flow/zeek_conn_reader.h,
// which says how a connection maps to a FlowRecord); everything below is about the others.
//
// Format accepted:
// - Comma- or tab-separated (whichever the first line has more of), RFC 4180 quoting (a
//   quoted field may hold the delimiter, "" for a quote, and line breaks); CRLF or LF line
//   ends; a UTF-8 byte-order mark is ignored; blank lines are skipped.
// - The first line names the columns, in any order, matched case-insensitively
//   (flow/flow_columns.h): the 14 CTU-13 columns, the 32 extended fields, Window, Label; every
//   other column is kept as text in FlowRecord::extra, in file order (extra_columns()).
//   StartTime, Proto, SrcAddr and DstAddr are required. A file without a header line needs
//   FlowFileOptions::columns (`--columns StartTime,Dur,...`).
// - Times (StartTime, Window): "2011/08/16 10:01:46.972101" (CTU-13, read as UTC),
//   "2011-08-16T10:01:46.972101Z" (ISO 8601), or seconds since the epoch "1313488906.972101".
// - Text columns are trimmed of spaces (Dir "   ->" becomes "->"), except Label and extra
//   columns, which are kept as they are. Empty numeric fields are std::nullopt (CTU-13
//   columns) or NaN (extended fields); "nan" and "-nan" (as ra prints some jitters) are NaN.
// - Rows whose Proto is `man` (argus management records) are skipped and counted; so is a
//   line equal to the header line (as `cat a.binetflow b.binetflow` leaves).
//
// Errors: the constructor throws Error ("FILE: ...") for an empty input, a binary file, a
// missing header, or a header without a required column. next() throws Error
// ("FILE:LINE: what is wrong", LINE 1-based, where the row starts) for a bad row: wrong
// number of fields, a number or time that does not parse, a negative count, broken quoting;
// with FlowFileOptions::skip_bad it counts and skips such rows instead. next() always throws
// when the input itself cannot be read (a cut-off gzip stream) or a line is over 16 MiB.
//
// Not thread-safe; one reader per input.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flow/flow_record.h"
#include "flow/flow_columns.h"

namespace botd {

class InputStream;
class ZeekConnReader;

struct FlowFileOptions {
  // Column names for a file without a header line (--columns); empty: the file has a header.
  std::vector<std::string> columns;
  // Count and skip bad rows instead of failing (--skip-bad).
  bool skip_bad = false;
};

// What a reader of rows has read and skipped; shared by the flow-file and Zeek readers.
struct RowCounts {
  uint64_t rows = 0;                // records returned
  uint64_t skipped_bad = 0;         // with skip_bad
  uint64_t skipped_management = 0;  // management rows, repeated headers
  std::string first_bad_row;        // "FILE:LINE: ..." of the first row skipped as bad

  // A bad row: throws Error(message) unless skip_bad, else counts it.
  void bad_row(std::string message, bool skip_bad);
};

class FlowFileReader {
 public:
  // Reads the header line. Throws Error (see above).
  FlowFileReader(std::unique_ptr<InputStream> input, FlowFileOptions options = {});
  ~FlowFileReader();
  FlowFileReader(const FlowFileReader&) = delete;
  FlowFileReader& operator=(const FlowFileReader&) = delete;

  // Fills `record` (every member: those the file lacks are reset) from the next row. Returns
  // false at the end of the input. Throws Error on a bad row unless skip_bad.
  bool next(FlowRecord& record);

  // The name messages use: the path, or "stdin".
  const std::string& name() const;
  // The file's columns, in file order (extra columns with their position in FlowRecord::extra).
  const FlowColumns& columns() const;
  // The names of the columns FlowRecord has no member for, in file order.
  const std::vector<std::string>& extra_columns() const;
  // Whether the file has this column (ra name or extra column name, case-insensitive).
  bool has_column(std::string_view name) const;
  // Whether the input is a Zeek conn.log.
  bool is_zeek_log() const { return zeek_ != nullptr; }

  // Rows read and skipped so far (management rows: `man` rows and repeated header lines).
  const RowCounts& counts() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;            // a flow file
  std::unique_ptr<ZeekConnReader> zeek_;  // or a Zeek log
  FlowColumns zeek_columns_;              // what a Zeek log's records hold, as flow columns
};

}  // namespace botd
