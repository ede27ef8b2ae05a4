#include "flow/windowed_flows.h"

namespace botd {

WindowedFlows::WindowedFlows(const WindowSpec& windows, const FlowTableOptions& options, FlowRecordCallback emit,
                             std::function<void(const Window&)> window_done,
                             std::function<void(size_t)> window_closing)
    : spec_(windows), options_(options), emit_(std::move(emit)), window_done_(std::move(window_done)),
      window_closing_(std::move(window_closing)), clock_(windows) {}

void WindowedFlows::add(const PacketView& packet) {
  const Placement placement = clock_.place(packet.time_ns);
  for (const Window& closed : clock_.take_closed()) close(closed);
  if (placement.late) ++late_packets_;
  // The packet's key is made once, and each table's index slot asked for before the first
  // table looks: the second table's search then overlaps the first's work.
  const std::optional<KeyedPacket> keyed = key_packet(packet);
  const uint64_t hash = keyed ? keyed->key.hash() : 0;
  tables_.clear();
  for (const Window& window : placement.windows) {
    OpenWindow& open = windows_[window.index];
    if (!open.table) {
      if (spec_.whole_capture()) {
        open.table = std::make_unique<FlowTable>(options_, [this](FlowRecord&& record) { emit_(std::move(record)); });
      } else {
        const int64_t start_ns = window.start_ns;
        OpenWindow* state = &open;  // std::map keeps it in place
        open.table = std::make_unique<FlowTable>(options_, [this, state, start_ns](FlowRecord&& record) {
          record.window_start_ns = start_ns;
          if (state->closing) emit_(std::move(record));
          else state->early_records.push_back(std::move(record));
        });
      }
      open.table->reserve(last_window_flows_);
    }
    open.table->prefetch(hash);
    tables_.push_back(open.table.get());
  }
  for (FlowTable* table : tables_) table->add(packet, keyed, hash);
}

void WindowedFlows::advance_to(int64_t time_ns) {
  clock_.advance_to(time_ns);
  for (const Window& closed : clock_.take_closed()) close(closed);
}

void WindowedFlows::close(const Window& window) {
  auto it = windows_.find(window.index);
  if (it == windows_.end()) return;
  OpenWindow& open = it->second;
  last_window_flows_ = open.table->live_flows();
  ended_early_ += open.table->ended_early();
  ended_active_ += open.table->ended_active();
  if (window_closing_) window_closing_(open.early_records.size() + last_window_flows_);
  for (FlowRecord& record : open.early_records) emit_(std::move(record));
  open.closing = true;
  open.table->finish();
  windows_.erase(it);
  ++windows_done_;
  if (window_done_) window_done_(window);
}

void WindowedFlows::finish() {
  for (const Window& window : clock_.finish()) close(window);
}

uint64_t WindowedFlows::ended_early() const {
  uint64_t ended = ended_early_;
  for (const auto& [index, open] : windows_) ended += open.table->ended_early();
  return ended;
}

uint64_t WindowedFlows::ended_active() const {
  uint64_t ended = ended_active_;
  for (const auto& [index, open] : windows_) ended += open.table->ended_active();
  return ended;
}

size_t WindowedFlows::live_flows() const {
  size_t live = 0;
  for (const auto& [index, open] : windows_) live += open.table->live_flows();
  return live;
}

}  // namespace botd
