#include "pipeline/split_job.h"

#include <algorithm>
#include <array>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "capture/packet_source.h"
#include "capture/pcap_writer.h"
#include "core/error.h"
#include "core/time_format.h"
#include "io/output_file.h"
#include "io/row_writer.h"
#include "pipeline/progress.h"

namespace botd {
namespace {

// One window being written.
struct WindowCapture {
  Window window;
  std::string file_name;
  std::unique_ptr<PcapWriter> writer;
  uint64_t packets = 0;
  uint64_t wire_bytes = 0;
  int64_t last_time_ns = 0;  // for --window 0, whose end is the last packet
};

std::string capture_stem(const std::string& input) {
  if (input == "-") return "stdin";
  return std::filesystem::path(input).stem().string();
}

// windows.csv: one row per window written, in index order.
//   index  window index (k)      start, end  ISO 8601 UTC, end exclusive
//   packets, bytes  records and their wire length      file  the window's capture, in the same directory
constexpr std::array<Column<WindowCapture>, 6> kWindowColumns = {{
    {"index", [](const WindowCapture& w, CellWriter& c) { c.integer(w.window.index); }},
    {"start", [](const WindowCapture& w, CellWriter& c) { c.time(w.window.start_ns, TimeForm::iso8601); }},
    {"end", [](const WindowCapture& w, CellWriter& c) { c.time(w.window.end_ns, TimeForm::iso8601); }},
    {"packets", [](const WindowCapture& w, CellWriter& c) { c.count(w.packets); }},
    {"bytes", [](const WindowCapture& w, CellWriter& c) { c.count(w.wire_bytes); }},
    {"file", [](const WindowCapture& w, CellWriter& c) { c.text(w.file_name); }},
}};

void write_windows_csv(const std::filesystem::path& path, const std::vector<WindowCapture>& done) {
  const Columns<WindowCapture> columns = kWindowColumns;
  OutputFile out(path.string());
  const std::unique_ptr<RowWriter> rows = make_row_writer(out, RowFormat::csv, column_names(columns));
  for (const WindowCapture& window : done) rows->write(columns, window);
  rows->finish();
  out.commit();
}

class WindowCaptures {
 public:
  WindowCaptures(const SplitOptions& options, const CaptureInfo& info, const OutputDirectory& dir)
      : dir_(dir), stem_(capture_stem(options.input)), info_(info),
        whole_capture_(options.windows.whole_capture()) {}

  void add(const Window& window, const RawPacket& packet) {
    WindowCapture& capture = open(window);
    capture.writer->write(packet);
    ++capture.packets;
    capture.wire_bytes += packet.wire_len;
    capture.last_time_ns = std::max(capture.last_time_ns, packet.time_ns);
  }

  void close(const Window& window) {
    auto it = find(window.index);
    if (it == open_.end()) return;
    WindowCapture capture = std::move(*it);
    open_.erase(it);
    capture.writer->close();
    capture.writer.reset();
    if (whole_capture_) capture.window.end_ns = capture.last_time_ns + 1;
    done_.push_back(std::move(capture));
  }

  const std::vector<WindowCapture>& done() const { return done_; }

 private:
  std::vector<WindowCapture>::iterator find(int64_t index) {
    return std::find_if(open_.begin(), open_.end(), [index](const WindowCapture& c) { return c.window.index == index; });
  }

  WindowCapture& open(const Window& window) {
    auto it = find(window.index);
    if (it != open_.end()) return *it;
    WindowCapture capture;
    capture.window = window;
    capture.file_name = fmt::format("{}-{}-{}.pcap", stem_, window.index, format_iso8601_basic(window.start_ns));
    capture.writer = std::make_unique<PcapWriter>(dir_.file(capture.file_name), info_.link_type, info_.snaplen,
                                                  info_.precision);
    return open_.emplace_back(std::move(capture));
  }

  const OutputDirectory& dir_;
  std::string stem_;
  CaptureInfo info_;
  bool whole_capture_;
  std::vector<WindowCapture> open_;  // a handful at most: ceil((window + reorder) / step)
  std::vector<WindowCapture> done_;
};

}  // namespace

RunStats run_split(const SplitOptions& options, Progress& progress) {
  PacketSource source(options.input);
  OutputDirectory out(options.output_dir);
  WindowClock clock(options.windows);
  WindowCaptures captures(options, source.info(), out);
  RunStats stats;
  stats.command = "split";
  stats.has_flows = false;

  progress.watch(source.position(), "packets");
  DecodedPacket packet;
  while (source.next(packet)) {
    if (packet.damage == Damage::timestamp_out_of_range) continue;  // no window holds it
    const Placement placement = clock.place(packet.raw.time_ns);
    for (const Window& closed : clock.take_closed()) captures.close(closed);
    if (placement.late) ++stats.late_packets;
    for (const Window& window : placement.windows) captures.add(window, packet.raw);
    progress.update(source.packets(), captures.done().size());
  }
  for (const Window& window : clock.finish()) captures.close(window);
  progress.finish();

  write_windows_csv(out.file("windows.csv"), captures.done());
  out.commit();
  stats.from_capture = true;
  stats.packets = source.packets();
  stats.wire_bytes = source.wire_bytes();
  stats.windows = captures.done().size();
  stats.damage = source.damage();
  stats.stop = source.stop().reason;
  for (std::string& warning : source.truncation_warnings()) stats.warnings.push_back(std::move(warning));
  return stats;
}

}  // namespace botd
