// The `flows` job: a capture (or a flow file) in, flow records out (SPEC §4), or with
// --features the feature matrix of those flows with their labels (SPEC §5).
//
// A capture goes through the capture stage (decoding, damage counting) and WindowedFlows;
// a flow file (CTU-13 .binetflow or ra CSV, told apart from a capture by its first bytes)
// is read by FlowFileReader and passed through, so that flows can convert formats too.
// Returns what was read and written; warnings (a capture cut off, bad rows skipped) are in
// the RunStats. Throws Error on unreadable input or unwritable output.
#pragma once

#include <string>

#include "features/labels.h"
#include "flow/flow_file_reader.h"
#include "flow/flow_table.h"
#include "flow/flow_writer.h"
#include "pipeline/run_stats.h"
#include "window/window_clock.h"

namespace botd {

class Progress;

struct FlowsOptions {
  std::vector<std::string> inputs;  // a capture or flow file ("-" for stdin), or several captures read as one
  std::string output = "-";
  WindowSpec windows;
  std::string fields = "ctu13";  // --fields: a column list (flow/flow_columns.h)
  RowFormat format = RowFormat::csv;
  TimeForm time_form = TimeForm::ctu13;
  FlowFileOptions flow_file;  // how to read a flow-file input
  bool features = false;      // --features: the feature matrix instead of the flows
  LabelOptions labels;        // with --features: where labels come from
  size_t max_flows = kDefaultMaxFlows;  // --max-flows: live flow objects per window at most; 0: no bound
};

RunStats run_flows(const FlowsOptions& options, Progress& progress);

}  // namespace botd
