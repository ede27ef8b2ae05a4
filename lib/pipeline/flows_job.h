// The `flows` job: a capture (or a flow file) in, flow records out (SPEC §4), or with
// --features the feature matrix of those flows with their labels (SPEC §5).
//
// A capture goes through the capture stage (decoding, damage counting) and WindowedFlows;
// a flow file (CTU-13 .binetflow or ra CSV, told apart from a capture by its first bytes)
// is read by FlowFileReader and passed through, so that flows can convert formats too.
// Throws Error on unreadable input or unwritable output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "capture/damage.h"
#include "features/labels.h"
#include "io/flow_file_reader.h"
#include "io/flow_writer.h"
#include "window/window_clock.h"

namespace botd {

class Progress;

struct FlowsOptions {
  std::string input;          // capture or flow file; "-" for stdin
  std::string output = "-";
  WindowSpec windows;
  std::string fields = "ctu13";  // --fields: a column list (io/flow_columns.h)
  FlowFormat format = FlowFormat::csv;
  TimeStyle time_style = TimeStyle::ctu13;
  FlowFileOptions flow_file;  // how to read a flow-file input
  bool features = false;      // --features: the feature matrix instead of the flows
  LabelOptions labels;        // with --features: where labels come from
};

struct FlowsSummary {
  bool from_capture = false;
  uint64_t packets = 0, flows = 0, windows = 0, late_packets = 0;
  DamageCounts damage;
  uint64_t skipped_bad_rows = 0;
  std::optional<std::string> warning;  // a capture cut off mid-record

  std::string line() const;
  std::string to_json() const;
};

FlowsSummary run_flows(const FlowsOptions& options, Progress& progress);

}  // namespace botd
