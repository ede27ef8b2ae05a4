#include "pipeline/flow_batches.h"

#include <map>

#include <fmt/format.h>

#include "capture/capture_reader.h"
#include "capture/packet_source.h"
#include "core/error.h"
#include "core/time_format.h"
#include "flow/windowed_flows.h"
#include "io/input_stream.h"
#include "pipeline/progress.h"

namespace botd {

void build_flows(PacketSource& source, WindowedFlows& flows, Progress& progress) {
  DecodedPacket packet;
  while (source.next(packet)) {
    if (packet.damage == Damage::none) flows.add(packet.view);
    progress.update(source.packets(), source.wire_bytes(), flows.windows_done());
  }
  flows.finish();
  progress.finish();
}

namespace {

constexpr int64_t kArgusLateness_ns = 3600 * kNanosPerSecond;  // argus's status interval

void batches_from_capture(std::unique_ptr<InputStream> input, const FlowBatchOptions& options,
                          const FlowBatchCallback& on_batch, Progress& progress, FlowBatchStats& stats) {
  PacketSource source(std::move(input));
  FlowTableOptions table;
  table.extended = options.extended;
  FlowBatch batch;
  batch.windowed = !options.windows.whole_capture();
  WindowedFlows flows(
      options.windows, table, [&](FlowRecord&& record) { batch.flows.push_back(std::move(record)); },
      [&](const Window& window) {
        batch.window = window;
        stats.flows += batch.flows.size();
        on_batch(std::move(batch));
        batch = FlowBatch{};
        batch.windowed = !options.windows.whole_capture();
      });
  build_flows(source, flows, progress);
  stats.from_capture = true;
  stats.packets = source.packets();
  stats.windows = flows.windows_done();
  stats.late = flows.late_packets();
  stats.damage = source.damage();
  if (auto warning = source.truncation_warning()) stats.warnings.push_back(*warning);
}

Window window_starting_at(int64_t start_ns, const WindowSpec& spec) {
  const int64_t index = spec.step_ns > 0 ? start_ns / spec.step_ns : 0;
  return {index, start_ns, start_ns + spec.window_ns};
}

// A file that says which window each flow belongs to (botd flows output).
void batches_by_window_column(FlowFileReader& reader, FlowRecord& record, const FlowBatchOptions& options,
                              const FlowBatchCallback& on_batch, FlowBatchStats& stats) {
  FlowBatch batch;
  std::optional<int64_t> current;
  int64_t last_done = std::numeric_limits<int64_t>::min();
  auto flush = [&] {
    if (!current) return;
    batch.window = window_starting_at(*current, options.windows);
    last_done = *current;
    ++stats.windows;
    on_batch(std::move(batch));
    batch = FlowBatch{};
  };
  do {
    if (!record.window_start_ns)
      fail("{}:{}: flow without a Window value in a file with a Window column", reader.name(), reader.rows() + 1);
    const int64_t window = *record.window_start_ns;
    if (!current || window != *current) {
      if (window <= last_done || (current && window < *current))
        fail("{}: the flows of window {} are not together: keep the file in the order botd flows writes it",
             reader.name(), format_iso8601(window));
      flush();
      current = window;
    }
    batch.flows.push_back(std::move(record));
    ++stats.flows;
  } while (reader.next(record));
  flush();
}

// Any other flow file: windows by start time.
void batches_by_start_time(FlowFileReader& reader, FlowRecord& record, const FlowBatchOptions& options,
                           const FlowBatchCallback& on_batch, FlowBatchStats& stats) {
  WindowSpec spec = options.windows;
  spec.reorder_ns = std::max(spec.reorder_ns, kArgusLateness_ns);
  WindowClock clock(spec);
  std::map<int64_t, FlowBatch> open;  // by window index
  auto close = [&](const Window& window) {
    auto it = open.find(window.index);
    if (it == open.end()) return;
    FlowBatch batch = std::move(it->second);
    open.erase(it);
    batch.window = window;
    ++stats.windows;
    on_batch(std::move(batch));
  };
  int64_t last_start_ns = std::numeric_limits<int64_t>::min();
  do {
    ++stats.flows;
    const Placement placement = clock.place(record.start_ns);
    for (const Window& closed : clock.take_closed()) close(closed);
    if (placement.late) ++stats.late;
    last_start_ns = std::max(last_start_ns, record.start_ns);
    for (size_t i = 0; i < placement.windows.size(); ++i) {
      FlowBatch& batch = open[placement.windows[i].index];
      batch.windowed = !spec.whole_capture();
      FlowRecord copy = i + 1 < placement.windows.size() ? record : std::move(record);
      if (batch.windowed) copy.window_start_ns = placement.windows[i].start_ns;
      batch.flows.push_back(std::move(copy));
    }
  } while (reader.next(record));
  for (Window window : clock.finish()) {
    if (spec.whole_capture()) window.end_ns = last_start_ns + 1;
    close(window);
  }
  if (stats.late)
    stats.warnings.push_back(fmt::format("{}: {} flows started more than {} before a later one and missed windows "
                                         "already closed",
                                         reader.name(), stats.late, format_seconds(spec.reorder_ns)));
}

void batches_from_file(std::unique_ptr<InputStream> input, const FlowBatchOptions& options,
                       const FlowBatchCallback& on_batch, FlowBatchStats& stats) {
  FlowFileReader reader(std::move(input), options.flow_file);
  stats.extra_columns = reader.extra_columns();
  stats.has_labels = reader.has_column("Label");
  const FlowBatchCallback labeled = [&](FlowBatch&& batch) {
    batch.labeled = stats.has_labels;
    on_batch(std::move(batch));
  };
  FlowRecord record;
  if (reader.next(record)) {
    if (reader.has_column("Window")) batches_by_window_column(reader, record, options, labeled, stats);
    else batches_by_start_time(reader, record, options, labeled, stats);
  }
  stats.skipped_bad_rows = reader.skipped_bad_rows();
  if (reader.skipped_bad_rows())
    stats.warnings.push_back(
        fmt::format("skipped {} bad rows; the first: {}", reader.skipped_bad_rows(), reader.first_bad_row()));
}

}  // namespace

FlowBatchStats read_flow_batches(const std::string& input, const FlowBatchOptions& options,
                                 const FlowBatchCallback& on_batch, Progress& progress) {
  return read_flow_batches(InputStream::open(input), options, on_batch, progress);
}

FlowBatchStats read_flow_batches(std::unique_ptr<InputStream> stream, const FlowBatchOptions& options,
                                 const FlowBatchCallback& on_batch, Progress& progress) {
  options.windows.validate();
  FlowBatchStats stats;
  if (looks_like_capture(stream->head())) batches_from_capture(std::move(stream), options, on_batch, progress, stats);
  else batches_from_file(std::move(stream), options, on_batch, stats);
  return stats;
}

}  // namespace botd
