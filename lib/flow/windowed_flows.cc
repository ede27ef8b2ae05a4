#include "flow/windowed_flows.h"

namespace botd {

WindowedFlows::WindowedFlows(const WindowSpec& windows, const FlowTableOptions& options, FlowRecordCallback emit)
    : spec_(windows), options_(options), emit_(std::move(emit)), clock_(windows) {}

void WindowedFlows::add(const PacketView& packet) {
  const Placement placement = clock_.place(packet.time_ns);
  for (const Window& closed : clock_.take_closed()) close(closed);
  if (placement.late) ++late_packets_;
  for (const Window& window : placement.windows) {
    std::unique_ptr<FlowTable>& table = tables_[window.index];
    if (!table) {
      const bool windowed = !spec_.whole_capture();
      const int64_t start_ns = window.start_ns;
      table = std::make_unique<FlowTable>(options_, [this, windowed, start_ns](FlowRecord&& record) {
        if (windowed) record.window_start_ns = start_ns;
        emit_(std::move(record));
      });
      table->reserve(last_window_flows_);
    }
    table->add(packet);
  }
}

void WindowedFlows::close(const Window& window) {
  auto it = tables_.find(window.index);
  if (it == tables_.end()) return;
  last_window_flows_ = it->second->live_flows();
  it->second->finish();
  tables_.erase(it);
  ++windows_done_;
}

void WindowedFlows::finish() {
  for (const Window& window : clock_.finish()) close(window);
}

size_t WindowedFlows::live_flows() const {
  size_t live = 0;
  for (const auto& [index, table] : tables_) live += table->live_flows();
  return live;
}

}  // namespace botd
