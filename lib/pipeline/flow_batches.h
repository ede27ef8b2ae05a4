// FlowBatches: the flows of any input, one time window at a time — the unit that features,
// scores and reports work on (SPEC §3, §5, §6).
//
// - A capture: flows built by WindowedFlows (decoding, damage counting, late packets).
// - A flow file with a Window column (botd flows output): its windows as written; the flows
//   of a window must be together, as botd writes them.
// - A live capture (capture/live_capture.h): the same, windows closing in real time, also
//   while the link is quiet; it ends when the capture is stopped (a signal).
// - Any other flow file (CTU-13 .binetflow, ra CSV): each flow goes to the windows its start
//   time falls in (two with the defaults). Files are read in their order; flows that start up
//   to an hour earlier than the latest seen still find their windows (ra writes a flow when
//   it ends, at most an hour after it started).
// With --window 0 everything is one batch. Batches come in window order.
//
// Throws Error on unreadable input, bad rows (unless skipped), or a Window column out of order.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "capture/live_capture.h"
#include "flow/flow_file_reader.h"
#include "flow/flow_record.h"
#include "flow/flow_table.h"
#include "pipeline/run_stats.h"
#include "window/window_clock.h"

namespace botd {

class InputStream;
class PacketSource;
class Progress;
class WindowedFlows;

struct FlowBatch {
  Window window;
  bool windowed = true;  // false for --window 0: the whole input
  bool labeled = false;  // the input has a Label column (a flow file)
  std::vector<FlowRecord> flows;
};

struct FlowBatchOptions {
  WindowSpec windows;
  FlowFileOptions flow_file;
  bool extended = false;  // build the extended fields (captures only; files have what they have)
  size_t max_flows = kDefaultMaxFlows;  // captures: live flow objects per window at most (FlowTableOptions)
};

// The batch stays the reader's: a callback reads it (and may change it), but must not keep
// it; its storage serves the next window.
using FlowBatchCallback = std::function<void(FlowBatch&)>;

// Feeds every undamaged packet of `source` to `flows` (damaged ones are counted by the source),
// with progress, then closes the windows still open and adds what was read to `stats`: how
// every job builds a capture's flows.
void build_flows(PacketSource& source, WindowedFlows& flows, Progress& progress, RunStats& stats);

// Adds a flow-file reader's skipped rows (and a warning naming the first bad one) to `stats`.
void add_reader_stats(const FlowFileReader& reader, RunStats& stats);

// Adds what was read (packets, damage, rows skipped, warnings, ...) to `stats`. Several inputs
// are one capture: rotated capture files read in time order (capture/packet_source.h).
void read_flow_batches(const std::vector<std::string>& inputs, const FlowBatchOptions& options,
                       const FlowBatchCallback& on_batch, Progress& progress, RunStats& stats);
void read_flow_batches(const std::string& input, const FlowBatchOptions& options, const FlowBatchCallback& on_batch,
                       Progress& progress, RunStats& stats);
// The same from an input already open (its head not yet consumed).
void read_flow_batches(std::unique_ptr<InputStream> input, const FlowBatchOptions& options,
                       const FlowBatchCallback& on_batch, Progress& progress, RunStats& stats);

// A window's flows without a copy of their own: what training reads (pipeline/train_job.h).
struct FlowView {
  Window window;
  bool windowed = true;
  bool labeled = false;
  std::span<const FlowRecord> flows;  // valid during the callback only
};
using FlowViewCallback = std::function<void(const FlowView&)>;

// The windows of `input` as read_flow_batches gives them, except that a flow file without a
// Window column is read into one buffer ordered by start time and each window is a span of
// it: a flow in two overlapping windows is one object, not two copies, and the buffer holds
// only the flows that windows still open may need. Within a window, flows come in start-time
// order (a file in time order keeps its own order, as in read_flow_batches), and their
// window_start_ns is not set (one flow is in several windows).
void read_flow_views(const std::string& input, const FlowBatchOptions& options, const FlowViewCallback& on_view,
                     Progress& progress, RunStats& stats);

// Packets from a network interface until the capture stops; says on stderr (information)
// what it captures, and warns of what the interface refused (promiscuous mode). Throws Error
// when it cannot capture (capture/live_capture.h).
void read_live_flow_batches(const LiveCaptureOptions& live, const FlowBatchOptions& options,
                            const FlowBatchCallback& on_batch, Progress& progress, RunStats& stats);

}  // namespace botd
