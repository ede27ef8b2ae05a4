// Flow writers: FlowRecords out as binetflow CSV or JSON lines (io/row_writer.h does the
// quoting and number formatting), through one interface (FlowSink) whatever the format.
//
// The columns are any list of FlowColumns (flow/flow_columns.h, `--fields`). A cell prints
// as `ra -n -Z b -p 6 -c ,` prints it:
//   StartTime   TimeForm::ctu13 "2011/08/16 10:01:46.972101" (UTC), or TimeForm::epoch
//               "1313488906.972101"; microseconds, truncated
//   Dur, and the real extended fields (SrcLoad, SIntPkt, Rate, ...)   6 decimals: "0.101592"
//   sTos, dTos, TotPkts, TotBytes, SrcBytes, and the integer extended fields (sTtl, SrcPkts,
//               sMaxPktSz, ...)   plain integers
//   Proto, SrcAddr, Sport, Dir, DstAddr, Dport, State, Label, extra columns   as text; in
//               CSV, Dir is padded as ra pads it ("   ->", "  <->", "  <-", "   ?>", "  who")
//   Window      ISO 8601 UTC, "2011-08-16T10:00:00Z"
// A value the record lacks (std::nullopt, "", an extended field's NaN) is empty (null in
// JSON); an extended field's NaN with the sign bit set is "-nan", as ra prints it.
// Not kept: nanoseconds (ra keeps microseconds), and "nan" without a sign in an extended field
// (read as absent, written as empty; ra on x86 prints "-nan").
//   CSV e.g.    2011/08/16 10:01:46.972101,3599.986572,tcp,88.176.79.163,49213,  <?>,147.32.84.172,18250,A_PA,0,0,414671,415389446,10150692
//   JSON e.g.   {"StartTime":"2011/08/16 10:01:46.972101","Dur":3599.986572,"Proto":"tcp",...,"Label":"flow=Background"}
//
// Writing and finishing throw Error (naming the output) when the output cannot be written.
// finish() writes what is buffered; committing the OutputFile stays with the caller.
// A writer is not thread-safe; it writes to `out`, which must outlive it.
#pragma once

#include <memory>

#include "flow/flow_columns.h"
#include "flow/flow_record.h"
#include "io/cell_writer.h"
#include "io/row_writer.h"

namespace botd {

class OutputFile;

class FlowSink {
 public:
  virtual ~FlowSink() = default;
  virtual void write(const FlowRecord& record) = 0;
  // Call once, after the last record.
  virtual void finish() = 0;
};

// A CSV writer prints its header line at once (so that an input without flows still gives a
// header). REQUIRES: `columns` is not empty; its extra columns index into the records' extra.
// `time_form`: ctu13 or epoch.
std::unique_ptr<FlowSink> make_flow_writer(OutputFile& out, RowFormat format, FlowColumns columns, TimeForm time_form);

// One cell of a flow, as above: for writers of rows that begin with a flow's identity
// (features/feature_writer.h).
void write_flow_cell(const FlowColumn& column, const FlowRecord& record, TimeForm time_form, CellWriter& cell);

}  // namespace botd
