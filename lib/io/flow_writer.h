// Flow writers: FlowRecords out as binetflow CSV or JSON lines, through one interface
// (FlowSink) whatever the format. make_flow_writer() is the only place that chooses a format.
//
// The columns are any list of FlowColumns (io/flow_columns.h, `--fields`); the schemas of both
// formats are documented in flow_writer.cc, next to the code that writes their rows.
//
// Writing and finishing throw Error (naming the output) when the output cannot be written.
// finish() writes what is buffered; committing the OutputFile stays with the caller.
// A writer is not thread-safe; it writes to `out`, which must outlive it.
#pragma once

#include <memory>

#include "flow/flow_record.h"
#include "io/flow_columns.h"

namespace botd {

class OutputFile;

enum class FlowFormat { csv, json };  // json: JSON lines, one object per flow
enum class TimeStyle { ctu13, epoch };  // "2011/08/16 10:01:46.972101" (UTC), or "1313488906.972101"

class FlowSink {
 public:
  virtual ~FlowSink() = default;
  virtual void write(const FlowRecord& record) = 0;
  // Call once, after the last record.
  virtual void finish() = 0;
};

// A CSV writer prints its header line at once (so that an input without flows still gives a
// header). REQUIRES: `columns` is not empty; its extra columns index into the records' extra.
std::unique_ptr<FlowSink> make_flow_writer(OutputFile& out, FlowFormat format, FlowColumns columns,
                                           TimeStyle time_style);

}  // namespace botd
