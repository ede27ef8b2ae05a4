#include "pipeline/flow_batches.h"

#include <map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "capture/capture_reader.h"
#include "capture/packet_source.h"
#include "core/error.h"
#include "core/time_format.h"
#include "flow/windowed_flows.h"
#include "io/input_stream.h"
#include "pipeline/progress.h"

namespace botd {

void build_flows(PacketSource& source, WindowedFlows& flows, Progress& progress, RunStats& stats) {
  progress.watch(source.position(), "packets");
  DecodedPacket packet;
  for (ReadStatus status; (status = source.read(packet)) != ReadStatus::end;) {
    if (status == ReadStatus::quiet) flows.advance_to(source.now_ns());  // a live capture's quiet link
    else if (packet.damage == Damage::none) flows.add(packet.view);
    progress.update(source.packets(), flows.windows_done());
  }
  if (std::optional<LiveCounters> counters = source.live_counters()) stats.live = counters;
  flows.finish();
  progress.finish();
  stats.from_capture = true;
  stats.packets += source.packets();
  stats.wire_bytes += source.wire_bytes();
  stats.windows += flows.windows_done();
  stats.late_packets += flows.late_packets();
  if (const uint64_t ended = flows.ended_early()) {
    stats.flows_ended_early += ended;
    stats.warnings.push_back(fmt::format("{}: {} flows ended early to keep within --max-flows {} at once, {} of them "
                                         "active in their idle timeout: a later packet of one starts a new record "
                                         "where argus's would go on",
                                         source.info().name, ended, flows.max_flows(), flows.ended_active()));
  }
  stats.damage.add(source.damage());
  if (stats.stop == CaptureStop::none) stats.stop = source.stop().reason;
  for (std::string& warning : source.truncation_warnings()) stats.warnings.push_back(std::move(warning));
}

namespace {

constexpr int64_t kArgusLateness_ns = 3600 * kNanosPerSecond;  // argus's status interval

void batches_from_capture(PacketSource& source, const FlowBatchOptions& options, const FlowBatchCallback& on_batch,
                          Progress& progress, RunStats& stats) {
  FlowTableOptions table;
  table.extended = options.extended;
  table.max_flows = options.max_flows;
  FlowBatch batch;
  batch.windowed = !options.windows.whole_capture();
  WindowedFlows flows(
      options.windows, table, [&](FlowRecord&& record) { batch.flows.push_back(std::move(record)); },
      [&](const Window& window) {
        batch.window = window;
        stats.flows += batch.flows.size();
        on_batch(batch);
        // The next window's flows go into the same storage: a fresh vector for each
        // window (tens of MB) cost page faults and moves on every window.
        batch.flows.clear();
      },
      [&](size_t records) {
        // Room for the window's records before they come, with a half to spare: the two
        // vectors that take turns (BatchPipeline) then rarely grow again on a busier window.
        const size_t needed = batch.flows.size() + records;
        if (batch.flows.capacity() < needed) batch.flows.reserve(needed + needed / 2);
      });
  build_flows(source, flows, progress, stats);
}

Window window_starting_at(int64_t start_ns, const WindowSpec& spec) {
  const int64_t index = spec.step_ns > 0 ? start_ns / spec.step_ns : 0;
  return {index, start_ns, start_ns + spec.window_ns};
}

// A file that says which window each flow belongs to (botd flows output).
void batches_by_window_column(FlowFileReader& reader, FlowRecord& record, const FlowBatchOptions& options,
                              const FlowBatchCallback& on_batch, Progress& progress, RunStats& stats) {
  FlowBatch batch;
  std::optional<int64_t> current;
  int64_t last_done = std::numeric_limits<int64_t>::min();
  auto flush = [&] {
    if (!current) return;
    batch.window = window_starting_at(*current, options.windows);
    last_done = *current;
    ++stats.windows;
    on_batch(batch);
    batch = FlowBatch{};
  };
  do {
    if (!record.window_start_ns)
      fail("{}:{}: flow without a Window value in a file with a Window column", reader.name(), reader.counts().rows + 1);
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
    progress.update(stats.flows, stats.windows);
  } while (reader.next(record));
  flush();
}

// A flow file read by start time (any flow file without a Window column): each flow goes to
// the windows its start falls in, `place(record, windows)` (it may take the record), and
// `close(window)` sees each window once every flow that may fall in it has been placed. Files
// are read in their order: ra writes a flow when it ends, at most an hour after it started,
// so flows up to an hour behind the latest still find their windows; later ones are counted
// and warned of.
void by_start_time(FlowFileReader& reader, FlowRecord& record, const WindowSpec& spec,
                   const std::function<void(FlowRecord&, std::span<const Window>)>& place,
                   const std::function<void(const Window&)>& close, Progress& progress, RunStats& stats) {
  WindowClock clock(spec);
  int64_t last_start_ns = std::numeric_limits<int64_t>::min();
  uint64_t late = 0;
  do {
    ++stats.flows;
    progress.update(stats.flows, stats.windows);
    const Placement placement = clock.place(record.start_ns);
    for (const Window& closed : clock.take_closed()) close(closed);
    if (placement.late) ++late;
    last_start_ns = std::max(last_start_ns, record.start_ns);
    if (!placement.windows.empty()) place(record, placement.windows);
  } while (reader.next(record));
  for (Window window : clock.finish()) {
    if (spec.whole_capture()) window.end_ns = last_start_ns + 1;
    close(window);
  }
  stats.late_flows += late;
  if (late)
    stats.warnings.push_back(fmt::format("{}: {} flows started more than {} s before a later one and missed windows "
                                         "already closed{}",
                                         reader.name(), late, format_seconds(spec.reorder_ns),
                                         reader.is_zeek_log() ? " (Zeek logs a connection when it ends: these lasted "
                                                                "longer than that)"
                                                              : ""));
}

WindowSpec with_argus_lateness(WindowSpec spec) {
  spec.reorder_ns = std::max(spec.reorder_ns, kArgusLateness_ns);
  return spec;
}

// Windows by start time, each flow copied into each of its windows' batches.
void batches_by_start_time(FlowFileReader& reader, FlowRecord& record, const FlowBatchOptions& options,
                           const FlowBatchCallback& on_batch, Progress& progress, RunStats& stats) {
  const WindowSpec spec = with_argus_lateness(options.windows);
  std::map<int64_t, FlowBatch> open;  // by window index
  const auto place = [&](FlowRecord& flow, std::span<const Window> windows) {
    for (size_t i = 0; i < windows.size(); ++i) {
      FlowBatch& batch = open[windows[i].index];
      batch.windowed = !spec.whole_capture();
      FlowRecord copy = i + 1 < windows.size() ? flow : std::move(flow);
      if (batch.windowed) copy.window_start_ns = windows[i].start_ns;
      batch.flows.push_back(std::move(copy));
    }
  };
  const auto close = [&](const Window& window) {
    auto it = open.find(window.index);
    if (it == open.end()) return;
    FlowBatch batch = std::move(it->second);
    open.erase(it);
    batch.window = window;
    ++stats.windows;
    on_batch(batch);
  };
  by_start_time(reader, record, spec, place, close, progress, stats);
}

// Windows by start time, each a span of one buffer of flows ordered by start time (read_flow_views).
void views_by_start_time(FlowFileReader& reader, FlowRecord& record, const FlowBatchOptions& options, bool labeled,
                         const FlowViewCallback& on_view, Progress& progress, RunStats& stats) {
  const WindowSpec spec = with_argus_lateness(options.windows);
  std::vector<FlowRecord> buffer;  // by start time; a flow ahead of an earlier one goes after it
  const auto starts_before = [](const FlowRecord& flow, int64_t time_ns) { return flow.start_ns < time_ns; };
  const auto place = [&](FlowRecord& flow, std::span<const Window>) {
    if (buffer.empty() || buffer.back().start_ns <= flow.start_ns) {
      buffer.push_back(std::move(flow));
    } else {
      const auto starts_after = [](int64_t time_ns, const FlowRecord& other) { return time_ns < other.start_ns; };
      buffer.insert(std::upper_bound(buffer.begin(), buffer.end(), flow.start_ns, starts_after), std::move(flow));
    }
  };
  const auto close = [&](const Window& window) {
    const auto first = std::lower_bound(buffer.begin(), buffer.end(), window.start_ns, starts_before);
    const auto last = spec.whole_capture() ? buffer.end()
                                           : std::lower_bound(first, buffer.end(), window.end_ns, starts_before);
    ++stats.windows;
    on_view({window, !spec.whole_capture(), labeled, std::span<const FlowRecord>(first, last)});
    // Windows close in index order: the ones still to come start at the next step or later.
    // The flows before it go once they are most of the buffer (each flow moves once, on average).
    const auto gone = std::lower_bound(buffer.begin(), buffer.end(), window.start_ns + spec.step_ns, starts_before);
    if (size_t(gone - buffer.begin()) * 2 > buffer.size()) buffer.erase(buffer.begin(), gone);
  };
  by_start_time(reader, record, spec, place, close, progress, stats);
}

// Reads a flow file: `read` gets its reader at the first flow (when there is one) and a
// callback that marks the batches of a file with a Label column as labeled.
void read_flow_file(std::unique_ptr<InputStream> input, const FlowBatchOptions& options,
                    const FlowBatchCallback& on_batch, Progress& progress, RunStats& stats,
                    const std::function<void(FlowFileReader&, FlowRecord&, const FlowBatchCallback&)>& read) {
  progress.watch(input->position(), "flows");
  FlowFileReader reader(std::move(input), options.flow_file);
  const bool has_labels = reader.has_column("Label");
  const FlowBatchCallback labeled = [&](FlowBatch& batch) {
    batch.labeled = has_labels;
    on_batch(batch);
  };
  FlowRecord record;
  if (reader.next(record)) read(reader, record, labeled);
  progress.finish();
  add_reader_stats(reader, stats);
}

void batches_from_file(std::unique_ptr<InputStream> input, const FlowBatchOptions& options,
                       const FlowBatchCallback& on_batch, Progress& progress, RunStats& stats) {
  read_flow_file(std::move(input), options, on_batch, progress, stats,
                 [&](FlowFileReader& reader, FlowRecord& record, const FlowBatchCallback& labeled) {
                   if (reader.has_column("Window"))
                     batches_by_window_column(reader, record, options, labeled, progress, stats);
                   else
                     batches_by_start_time(reader, record, options, labeled, progress, stats);
                 });
}

}  // namespace

void add_reader_stats(const FlowFileReader& reader, RunStats& stats) {
  stats.skipped_bad_rows += reader.counts().skipped_bad;
  stats.skipped_management_rows += reader.counts().skipped_management;
  if (reader.counts().skipped_bad)
    stats.warnings.push_back(
        fmt::format("skipped {} bad rows; the first: {}", reader.counts().skipped_bad, reader.counts().first_bad_row));
}

void read_flow_batches(const std::vector<std::string>& inputs, const FlowBatchOptions& options,
                       const FlowBatchCallback& on_batch, Progress& progress, RunStats& stats) {
  if (inputs.size() == 1) return read_flow_batches(inputs.front(), options, on_batch, progress, stats);
  options.windows.validate();
  PacketSource source(inputs, options.windows.reorder_ns);
  batches_from_capture(source, options, on_batch, progress, stats);
}

void read_live_flow_batches(const LiveCaptureOptions& live, const FlowBatchOptions& options,
                            const FlowBatchCallback& on_batch, Progress& progress, RunStats& stats) {
  options.windows.validate();
  PacketSource source(live);
  for (const std::string& warning : source.info().warnings) {
    spdlog::warn("{}", warning);
    stats.warnings.push_back(warning);
  }
  const std::string windows = options.windows.whole_capture()
                                  ? std::string("one window until the end")
                                  : fmt::format("windows of {} s every {} s", format_seconds(options.windows.window_ns),
                                                format_seconds(options.windows.step_ns));
  spdlog::info("{}: capturing on {}: link type {}, snaplen {}{}{}; {}; SIGINT or SIGTERM ends the run", stats.command,
               live.interface, link_type_name(source.info().link_type), source.info().snaplen,
               live.promiscuous ? ", promiscuous" : "", live.filter.empty() ? "" : ", filter '" + live.filter + "'",
               windows);
  batches_from_capture(source, options, on_batch, progress, stats);
}

void read_flow_batches(const std::string& input, const FlowBatchOptions& options, const FlowBatchCallback& on_batch,
                       Progress& progress, RunStats& stats) {
  read_flow_batches(InputStream::open(input), options, on_batch, progress, stats);
}

void read_flow_views(const std::string& input, const FlowBatchOptions& options, const FlowViewCallback& on_view,
                     Progress& progress, RunStats& stats) {
  std::unique_ptr<InputStream> stream = InputStream::open(input);
  const FlowBatchCallback as_view = [&](FlowBatch& batch) {
    on_view({batch.window, batch.windowed, batch.labeled, batch.flows});
  };
  if (looks_like_capture(stream->head()))
    return read_flow_batches(std::move(stream), options, as_view, progress, stats);
  options.windows.validate();
  read_flow_file(std::move(stream), options, as_view, progress, stats,
                 [&](FlowFileReader& reader, FlowRecord& record, const FlowBatchCallback& labeled) {
                   if (reader.has_column("Window"))
                     batches_by_window_column(reader, record, options, labeled, progress, stats);
                   else
                     views_by_start_time(reader, record, options, reader.has_column("Label"), on_view, progress, stats);
                 });
}

void read_flow_batches(std::unique_ptr<InputStream> stream, const FlowBatchOptions& options,
                       const FlowBatchCallback& on_batch, Progress& progress, RunStats& stats) {
  options.windows.validate();
  if (looks_like_capture(stream->head())) {
    PacketSource source(std::move(stream));
    batches_from_capture(source, options, on_batch, progress, stats);
  } else {
    batches_from_file(std::move(stream), options, on_batch, progress, stats);
  }
}

}  // namespace botd
