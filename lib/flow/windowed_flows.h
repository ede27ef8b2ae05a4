// WindowedFlows: the flows of every time window (SPEC §3–§4) in one pass over the packets:
// one FlowTable per open window, fed the window's packets in capture order, so each window
// gets the flows argus would give on that window's capture alone. A window's records are
// handed over (with FlowRecord::window_start_ns set) when the window closes. With
// --window 0 there is one table for the whole capture and records carry no window.
//
// Memory: the flow objects of the open windows (at most ceil((window + reorder) / step)).
// Not thread-safe.
#pragma once

#include <map>
#include <memory>

#include "capture/packet.h"
#include "flow/flow_table.h"
#include "window/window_clock.h"

namespace botd {

class WindowedFlows {
 public:
  WindowedFlows(const WindowSpec& windows, const FlowTableOptions& options, FlowRecordCallback emit);

  // REQUIRES: an undamaged packet, in capture order.
  void add(const PacketView& packet);
  // Closes every window still open.
  void finish();

  uint64_t late_packets() const { return late_packets_; }
  uint64_t windows_done() const { return windows_done_; }
  size_t live_flows() const;

 private:
  void close(const Window& window);

  WindowSpec spec_;
  FlowTableOptions options_;
  FlowRecordCallback emit_;
  WindowClock clock_;
  std::map<int64_t, std::unique_ptr<FlowTable>> tables_;  // by window index
  uint64_t late_packets_ = 0;
  uint64_t windows_done_ = 0;
  size_t last_window_flows_ = 0;  // how many flows the last closed window had: a size hint
};

}  // namespace botd
