#include "pipeline/split_job.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "capture/packet_source.h"
#include "capture/pcap_writer.h"
#include "core/error.h"
#include "core/time_format.h"
#include "io/input_stream.h"
#include "io/output_file.h"
#include "io/range_copy_writer.h"
#include "io/row_writer.h"
#include "pipeline/progress.h"

namespace botd {
namespace {

// How one record goes into window files made from the input's bytes (InputCopy).
struct RecordBytes {
  const StoredRecord* stored = nullptr;  // copy these bytes of the input; or else
  std::array<uint8_t, 16> header{};      // write this record header and the packet's bytes
};

// The input, when window files can be made of its own bytes: a regular file (not stdin, not
// compressed) in classic pcap whose 24-byte file header is the one PcapWriter writes. A
// record whose stored header is the one PcapWriter would write for it is then stored exactly
// as PcapWriter writes it, and is copied; any other (a captured length libpcap cut to the
// snap length, a fraction of a second out of range) is written as PcapWriter writes it.
class InputCopy {
 public:
  // nullptr when the input does not allow copying.
  static std::unique_ptr<InputCopy> open(const std::string& input, const PacketSource& source) {
    const CaptureInfo& info = source.info();
    if (input == "-" || info.pcapng) return nullptr;
    auto copy = std::unique_ptr<InputCopy>(new InputCopy(info));
    copy->fd_ = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat status {};
    if (copy->fd_ < 0 || ::fstat(copy->fd_, &status) != 0 || !S_ISREG(status.st_mode)) return nullptr;
    // The file PacketSource reads: the same size and the header libpcap read.
    if (uint64_t(status.st_size) != source.position()->size) return nullptr;
    std::array<uint8_t, 24> header{};
    if (::pread(copy->fd_, header.data(), header.size(), 0) != ssize_t(header.size())) return nullptr;
    if (header != pcap_file_header(info.link_type, info.snaplen, info.precision)) return nullptr;
    copy->file_header_ = header;
    return copy;
  }
  ~InputCopy() {
    if (fd_ >= 0) ::close(fd_);
  }
  InputCopy(const InputCopy&) = delete;
  InputCopy& operator=(const InputCopy&) = delete;

  std::unique_ptr<RangeCopyWriter> create(const std::filesystem::path& path) const {
    auto out = std::make_unique<RangeCopyWriter>(path, fd_, name_);
    out->write(file_header_);
    return out;
  }

  RecordBytes record_bytes(const RawPacket& packet, const StoredRecord* stored) const {
    RecordBytes record;
    record.header = pcap_record_header(packet, precision_);
    if (stored != nullptr && stored->header == record.header) record.stored = stored;
    return record;
  }

 private:
  explicit InputCopy(const CaptureInfo& info) : name_(info.name), precision_(info.precision) {}

  int fd_ = -1;
  std::string name_;
  TimestampPrecision precision_;
  std::array<uint8_t, 24> file_header_{};
};

// One window being written: through PcapWriter, or from the input's bytes.
struct WindowCapture {
  Window window;
  std::string file_name;
  std::unique_ptr<PcapWriter> writer;
  std::unique_ptr<RangeCopyWriter> copier;
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
  // With `copy`, window files are made from the input's bytes (and `copy` must outlive this).
  WindowCaptures(const SplitOptions& options, const CaptureInfo& info, const OutputDirectory& dir,
                 const InputCopy* copy)
      : dir_(dir), stem_(capture_stem(options.input)), info_(info),
        whole_capture_(options.windows.whole_capture()), copy_(copy) {}

  // `record` says how to take the packet from the input when copying.
  void add(const Window& window, const RawPacket& packet, const RecordBytes& record) {
    WindowCapture& capture = open(window);
    if (capture.writer) {
      capture.writer->write(packet);
    } else if (record.stored != nullptr) {
      capture.copier->copy(record.stored->offset, record.stored->size);
      ++records_copied_;
    } else {
      capture.copier->write(record.header);
      capture.copier->write(packet.bytes);
    }
    ++capture.packets;
    capture.wire_bytes += packet.wire_len;
    capture.last_time_ns = std::max(capture.last_time_ns, packet.time_ns);
  }

  void close(const Window& window) {
    auto it = find(window.index);
    if (it == open_.end()) return;
    WindowCapture capture = std::move(*it);
    open_.erase(it);
    if (capture.writer) capture.writer->close();
    else capture.copier->close();
    capture.writer.reset();
    capture.copier.reset();
    if (whole_capture_) capture.window.end_ns = capture.last_time_ns + 1;
    done_.push_back(std::move(capture));
  }

  const std::vector<WindowCapture>& done() const { return done_; }
  // Records put in windows by copying them from the input (once per window).
  uint64_t records_copied() const { return records_copied_; }

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
    const std::filesystem::path path = dir_.file(capture.file_name);
    if (copy_ != nullptr) capture.copier = copy_->create(path);
    else capture.writer = std::make_unique<PcapWriter>(path, info_.link_type, info_.snaplen, info_.precision);
    return open_.emplace_back(std::move(capture));
  }

  const OutputDirectory& dir_;
  std::string stem_;
  CaptureInfo info_;
  bool whole_capture_;
  const InputCopy* copy_;
  std::vector<WindowCapture> open_;  // a handful at most: ceil((window + reorder) / step)
  std::vector<WindowCapture> done_;
  uint64_t records_copied_ = 0;
};

}  // namespace

RunStats run_split(const SplitOptions& options, Progress& progress) {
  PacketSource source(options.input);
  OutputDirectory out(options.output_dir);
  WindowClock clock(options.windows);
  const std::unique_ptr<InputCopy> copy = options.copy_records ? InputCopy::open(options.input, source) : nullptr;
  WindowCaptures captures(options, source.info(), out, copy.get());
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
    if (!placement.windows.empty()) {
      const RecordBytes record = copy ? copy->record_bytes(packet.raw, source.stored()) : RecordBytes{};
      for (const Window& window : placement.windows) captures.add(window, packet.raw, record);
    }
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
  stats.add_measure("records_copied", "", captures.records_copied());
  stats.damage = source.damage();
  stats.stop = source.stop().reason;
  for (std::string& warning : source.truncation_warnings()) stats.warnings.push_back(std::move(warning));
  return stats;
}

}  // namespace botd
