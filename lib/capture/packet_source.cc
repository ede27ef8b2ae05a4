#include "capture/packet_source.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "core/error.h"
#include "core/time_format.h"
#include "io/input_stream.h"

namespace botd {
namespace {

int checked_link_type(const CaptureReader& reader) {
  const CaptureInfo& info = reader.info();
  if (!is_supported_link_type(info.link_type)) {
    // A type libpcap has no name for is shown as the number in the file, not as libpcap's
    // masked value (0xFFFFFFFF is not 67108863).
    const bool named = pcap_datalink_val_to_name(info.link_type) != nullptr;
    const std::string shown =
        named || info.pcapng || info.file_link_type == 0 ? link_type_name(info.link_type)
                                                         : std::to_string(info.file_link_type);
    fail("{}: unsupported link type {}: botd reads Ethernet, Linux cooked (SLL, SLL2), raw IP, BSD loopback, "
         "PPP, Cisco HDLC, 802.11 (radiotap, PPI), FDDI, NFLOG, IPNET, SLIP, IPoIB, PKTAP and Frame Relay captures",
         info.name, shown);
  }
  return info.link_type;
}

}  // namespace

PacketSource::PacketSource(const std::string& path) : PacketSource(InputStream::open(path)) {}

PacketSource::PacketSource(std::unique_ptr<InputStream> input)
    : file_position_(input->position()),
      reader_(std::make_unique<CaptureReader>(std::move(input))),
      info_(reader_->info()),
      position_(std::make_shared<InputPosition>(*file_position_)),
      decoder_(checked_link_type(*reader_)) {}

PacketSource::PacketSource(const std::vector<std::string>& paths, int64_t lateness_ns)
    : PacketSource(in_time_order(paths), lateness_ns) {}

PacketSource::PacketSource(FileOrder order, int64_t lateness_ns) : PacketSource(order.paths.front()) {
  lateness_ns_ = lateness_ns;
  if (order.paths.size() == 1) return;
  pending_.assign(order.paths.rbegin(), order.paths.rend() - 1);
  position_->size = order.size;
  info_.name = fmt::format("{} and {} more captures", info_.name, pending_.size());
}

PacketSource::PacketSource(const LiveCaptureOptions& live)
    : file_position_(std::make_shared<InputPosition>()),
      reader_(std::make_unique<CaptureReader>(live)),
      info_(reader_->info()),
      position_(std::make_shared<InputPosition>()),
      decoder_(checked_link_type(*reader_)) {}

PacketSource::~PacketSource() = default;

// Opens each file to read its first packet's time: the order to read them in. Refuses stdin,
// a file given twice, a file that is not a capture, and files of different link types.
PacketSource::FileOrder PacketSource::in_time_order(const std::vector<std::string>& paths) {
  if (paths.empty()) fail("no capture given");
  if (paths.size() == 1) return {paths, 0};  // not opened twice: it may be stdin
  struct File {
    std::string path;
    int64_t first_ns;  // max when it has no packet
  };
  std::vector<File> files;
  FileOrder order;
  std::set<std::filesystem::path> seen;
  std::optional<CaptureInfo> first;
  for (const std::string& path : paths) {
    if (path == "-" && paths.size() > 1)
      fail("stdin cannot be one of several captures: give the rotated capture files by name");
    std::error_code error;
    const std::filesystem::path canonical = std::filesystem::weakly_canonical(path, error);
    if (!seen.insert(error ? std::filesystem::path(path) : canonical).second)
      fail("{}: given twice: each capture is read once", path);
    std::unique_ptr<InputStream> input = InputStream::open(path);
    if (!looks_like_capture(input->head()))
      fail("{}: not a capture: several inputs are read as one capture (rotated capture files); give flow files one "
           "at a time",
           path);
    order.size += input->position()->size;
    CaptureReader reader(std::move(input));
    checked_link_type(reader);
    if (first && reader.info().link_type != first->link_type)
      fail("{}: link type {}, where {} has {}: several captures are read as one only when they come from one "
           "interface",
           path, link_type_name(reader.info().link_type), first->name, link_type_name(first->link_type));
    if (!first) first = reader.info();
    RawPacket raw;
    files.push_back({path, reader.next(raw) ? raw.time_ns : std::numeric_limits<int64_t>::max()});
  }
  std::stable_sort(files.begin(), files.end(), [](const File& a, const File& b) { return a.first_ns < b.first_ns; });
  for (File& file : files) order.paths.push_back(std::move(file.path));
  return order;
}

void PacketSource::end_file() {
  if (reader_->stop().reason != CaptureStop::none)
    stops_.push_back({reader_->info().name, reader_->packets_read(), reader_->stop()});
}

bool PacketSource::next_file() {
  if (pending_.empty()) return false;
  packets_before_ += reader_->packets_read();
  bytes_before_ += file_position_->bytes_read;
  previous_name_ = reader_->info().name;
  std::unique_ptr<InputStream> input = InputStream::open(pending_.back());
  pending_.pop_back();
  file_position_ = input->position();
  reader_ = std::make_unique<CaptureReader>(std::move(input));
  file_started_ = false;
  return true;
}

const StopReason& PacketSource::stop() const {
  static const StopReason none;
  return stops_.empty() ? none : stops_.front().stop;
}

bool PacketSource::next(DecodedPacket& packet) {
  ReadStatus status;
  do status = read(packet);
  while (status == ReadStatus::quiet);
  return status == ReadStatus::record;
}

ReadStatus PacketSource::read(DecodedPacket& packet) {
  for (;;) {
    const ReadStatus status = reader_->read(packet.raw);
    if (status == ReadStatus::record) break;
    if (status == ReadStatus::quiet) {
      now_ns_ = realtime_now_ns();
      return status;
    }
    end_file();
    if (!next_file()) return ReadStatus::end;
  }
  position_->bytes_read = reader_->live() ? wire_bytes_ + packet.raw.wire_len
                                          : bytes_before_ + file_position_->bytes_read;
  wire_bytes_ += packet.raw.wire_len;
  packet.damage = decoder_.decode(packet.raw, packet.view);  // the view always describes this packet
  if (!in_time_range(packet.raw.time_ns)) {
    packet.damage = Damage::timestamp_out_of_range;
  } else {
    if (!file_started_ && packets_before_ > 0 && packet.raw.time_ns < latest_ns_ - lateness_ns_)
      fail("{}: its first packet ({}) is earlier than the last of {} ({}): the captures overlap; botd reads several "
           "captures as the rotated files of one interface, one after the other (merge overlapping captures with "
           "mergecap first)",
           reader_->info().name, format_iso8601(packet.raw.time_ns), previous_name_, format_iso8601(latest_ns_));
    file_started_ = true;
    latest_ns_ = std::max(latest_ns_, packet.raw.time_ns);
  }
  if (packet.damage != Damage::none) damage_.add(packet.damage);
  return ReadStatus::record;
}

std::vector<std::string> PacketSource::truncation_warnings() const {
  std::vector<std::string> warnings;
  for (const EndedFile& file : stops_) {
    const StopReason& stop = file.stop;
    if (reader_->live())  // an interface that went down or away
      warnings.push_back(fmt::format("{}: capture stopped after packet {}: {}", file.name, file.packets, stop.detail));
    else if (stop.reason == CaptureStop::cut_off)
      warnings.push_back(fmt::format("{}: capture cut off after packet {} (byte {}): kept the {} whole packets before "
                                     "the cut ({})",
                                     file.name, file.packets, stop.offset, file.packets, stop.detail));
    else
      warnings.push_back(fmt::format("{}: capture stopped after packet {} (byte {}), {}: {}; kept the {} packets "
                                     "before it",
                                     file.name, file.packets, stop.offset, capture_stop_name(stop.reason), stop.detail,
                                     file.packets));
  }
  return warnings;
}

}  // namespace botd
