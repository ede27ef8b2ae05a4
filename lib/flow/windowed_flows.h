// WindowedFlows: the flows of every time window (SPEC §3–§4) in one pass over the packets:
// one FlowTable per open window, fed the window's packets in capture order, so each window
// gets the flows argus would give on that window's capture alone. When a window closes, all
// its records are handed over together (with FlowRecord::window_start_ns set), then the
// window itself: outputs are grouped by window, windows in order. With --window 0 there is
// one table for the whole capture; its records stream out as they end and carry no window.
//
// Memory: the flow objects of the open windows (at most ceil((window + reorder) / step)),
// each table bounded by FlowTableOptions::max_flows when set; and, for windowed flows, the
// records that ended before their window closed.
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
  // `window_done` (optional) is called after the last record of each window; `window_closing`
  // (optional) before its first, with about how many records it will have, so that the
  // consumer can make room for them at once instead of growing a vector of tens of MB by
  // doubling (each step touches fresh memory, slow to fault in on some machines).
  WindowedFlows(const WindowSpec& windows, const FlowTableOptions& options, FlowRecordCallback emit,
                std::function<void(const Window&)> window_done = {},
                std::function<void(size_t records)> window_closing = {});

  // REQUIRES: an undamaged packet, in capture order.
  void add(const PacketView& packet);
  // A live capture's time with no packet: closes (and hands over) the windows whose end plus
  // the reorder allowance is before time_ns (WindowClock::advance_to).
  void advance_to(int64_t time_ns);
  // Closes every window still open.
  void finish();

  uint64_t late_packets() const { return late_packets_; }
  uint64_t windows_done() const { return windows_done_; }
  size_t live_flows() const;
  // Flow objects ended early by FlowTableOptions::max_flows, over every window's table.
  uint64_t ended_early() const;
  uint64_t ended_active() const;  // of those, the ones active within their idle timeout
  size_t max_flows() const { return options_.max_flows; }

 private:
  void close(const Window& window);

  struct OpenWindow {
    std::unique_ptr<FlowTable> table;
    std::vector<FlowRecord> early_records;  // ended before the window closed (TCP re-opens)
    bool closing = false;                   // records now go straight out
  };

  WindowSpec spec_;
  FlowTableOptions options_;
  FlowRecordCallback emit_;
  std::function<void(const Window&)> window_done_;
  std::function<void(size_t)> window_closing_;
  WindowClock clock_;
  std::map<int64_t, OpenWindow> windows_;  // by window index
  std::vector<FlowTable*> tables_;         // add()'s: the tables of the packet's windows
  uint64_t late_packets_ = 0;
  uint64_t windows_done_ = 0;
  uint64_t ended_early_ = 0, ended_active_ = 0;  // by the tables of closed windows
  size_t last_window_flows_ = 0;  // how many flows the last closed window had: a size hint
};

}  // namespace botd
