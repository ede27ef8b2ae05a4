#include "capture/capture_reader.h"

#include <pcap/pcap.h>

#include <cctype>
#include <cstring>

#include "capture/decode_internal.h"
#include "capture/pcap_framing.h"
#include "io/input_stream.h"
#include "capture/record_source.h"
#include "core/error.h"

namespace botd {
namespace {

bool looks_like_text(std::span<const uint8_t> head) {
  for (uint8_t c : head.first(std::min<size_t>(head.size(), 512)))
    if (!std::isprint(c) && !std::isspace(c)) return false;
  return true;
}

// Checks the magic number and records the file's format and timestamp precision, or fails
// with a message that says what the file is instead.
void identify(std::span<const uint8_t> head, const std::string& name, CaptureInfo& info) {
  if (head.empty()) fail("{}: empty file (0 bytes)", name);
  if (head.size() < 4) fail("{}: file too short ({} bytes) to be a capture", name, head.size());
  const uint32_t magic = decode::be32(head.data());
  // The link type as the pcap header holds it (libpcap masks it to 26 bits).
  const auto file_link_type = [&](bool big_endian) {
    if (head.size() >= 24) info.file_link_type = big_endian ? decode::be32(&head[20]) : decode::le32(&head[20]);
  };
  switch (magic) {
    case 0xa1b2c3d4: case 0xa1b2cd34: case 0xd4c3b2a1: case 0x34cdb2a1:
      info.precision = TimestampPrecision::micro;
      file_link_type(magic == 0xa1b2c3d4 || magic == 0xa1b2cd34);
      return;
    case 0xa1b23c4d: case 0x4d3cb2a1:
      info.precision = TimestampPrecision::nano;
      file_link_type(magic == 0xa1b23c4d);
      return;
    case 0x0a0d0d0a:
      info.pcapng = true;
      return;
    default: break;
  }
  if (looks_like_text(head)) fail("{}: not a pcap or pcapng capture (it is a text file)", name);
  fail("{}: not a pcap or pcapng capture (unknown magic number 0x{:08x})", name, magic);
}

// Classic pcap through libpcap, reading from the InputStream's stdio stream.
class LibpcapRecords : public RecordSource {
 public:
  LibpcapRecords(std::unique_ptr<InputStream> input, CaptureInfo& info) : input_(input.get()) {
    const size_t head_size = input->head().size();
    follow_framing(*input);
    FILE* file = InputStream::to_stdio(std::move(input));
    char error[PCAP_ERRBUF_SIZE] = "";
    pcap_ = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, error);
    if (pcap_ == nullptr) {
      fclose(file);
      if (std::strstr(error, "truncated") != nullptr)
        fail("{}: capture file header cut off ({} bytes): not a complete capture", info.name, head_size);
      fail("{}: cannot read capture: {}", info.name, error);
    }
    info.link_type = pcap_datalink(pcap_);
    info.snaplen = uint32_t(pcap_snapshot(pcap_));
  }
  ~LibpcapRecords() override { pcap_close(pcap_); }  // also closes the stream

  ReadStatus read(RawPacket& packet) override {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int status = pcap_next_ex(pcap_, &header, &data);
    if (status == 1) {
      packet.time_ns = int64_t(header->ts.tv_sec) * 1'000'000'000 + int64_t(header->ts.tv_usec);
      packet.wire_len = header->len;
      packet.bytes = std::span<const uint8_t>(data, header->caplen);
      has_stored_ = framing_ != nullptr && framing_->pop(stored_);
      return ReadStatus::record;
    }
    if (status == PCAP_ERROR) {
      const long offset = ftell(pcap_file(pcap_));
      stop_.offset = offset >= 0 ? uint64_t(offset) : 0;
      if (!input_->read_error().empty()) {
        stop_.reason = CaptureStop::read_error;
        stop_.detail = input_->read_error();
      } else {
        // libpcap says "truncated dump file; ..." for a file that ends inside a record, and
        // names a bad length otherwise ("invalid packet capture length ...").
        stop_.detail = pcap_geterr(pcap_);
        stop_.reason = stop_.detail.find("truncated") != std::string::npos ? CaptureStop::cut_off
                                                                            : CaptureStop::corrupt_record;
      }
    }
    has_stored_ = false;
    return ReadStatus::end;  // PCAP_ERROR_BREAK: the end of the capture
  }

  const StoredRecord* stored() const override { return has_stored_ ? &stored_ : nullptr; }

 private:
  // Follows the records through the bytes libpcap reads, for stored(): uncompressed input with
  // 16-byte record headers only (the offsets of decompressed bytes are no file's offsets).
  void follow_framing(InputStream& input) {
    if (input.compressed() || input.head().size() < 4) return;
    const uint32_t magic = decode::be32(input.head().data());
    if (magic != 0xa1b2c3d4 && magic != 0xd4c3b2a1 && magic != 0xa1b23c4d && magic != 0x4d3cb2a1) return;
    framing_ = std::make_unique<PcapFraming>(magic == 0xa1b2c3d4 || magic == 0xa1b23c4d);
    input.observe_reads([framing = framing_.get()](std::span<const uint8_t> bytes) { framing->consume(bytes); });
  }

  const InputStream* input_;  // owned by libpcap's stdio stream
  std::unique_ptr<PcapFraming> framing_;  // fed by the stream, which ~LibpcapRecords closes first
  StoredRecord stored_;
  bool has_stored_ = false;
  pcap_t* pcap_ = nullptr;
};

}  // namespace

std::unique_ptr<RecordSource> open_pcap_records(std::unique_ptr<InputStream> input, CaptureInfo& info) {
  return std::make_unique<LibpcapRecords>(std::move(input), info);
}

bool looks_like_capture(std::span<const uint8_t> head) {
  if (head.size() < 4) return false;
  switch (decode::be32(head.data())) {
    case 0xa1b2c3d4: case 0xd4c3b2a1: case 0xa1b2cd34: case 0x34cdb2a1: case 0xa1b23c4d: case 0x4d3cb2a1:
    case 0x0a0d0d0a:
      return true;
    default:
      return false;
  }
}

CaptureReader::CaptureReader(const std::string& path) : CaptureReader(InputStream::open(path)) {}

CaptureReader::CaptureReader(std::unique_ptr<InputStream> stream) {
  info_.name = stream->name();
  identify(stream->head(), info_.name, info_);
  records_ = info_.pcapng ? open_pcapng_records(std::move(stream), info_) : open_pcap_records(std::move(stream), info_);
}

CaptureReader::CaptureReader(const LiveCaptureOptions& live) {
  records_ = open_live_records(live, info_);
  live_ = true;
}

CaptureReader::~CaptureReader() = default;

ReadStatus CaptureReader::read(RawPacket& packet) {
  if (records_->stopped()) return ReadStatus::end;
  const ReadStatus status = records_->read(packet);
  if (status == ReadStatus::record) ++packets_read_;
  return status;
}

bool CaptureReader::next(RawPacket& packet) {
  ReadStatus status;
  do status = read(packet);
  while (status == ReadStatus::quiet);
  return status == ReadStatus::record;
}

std::optional<LiveCounters> CaptureReader::live_counters() const { return records_->live_counters(); }

const StopReason& CaptureReader::stop() const { return records_->stop(); }

const StoredRecord* CaptureReader::stored() const { return records_->stored(); }

std::string_view capture_stop_name(CaptureStop stop) {
  switch (stop) {
    case CaptureStop::none: return "none";
    case CaptureStop::cut_off: return "cut_off";
    case CaptureStop::read_error: return "read_error";
    case CaptureStop::corrupt_record: return "corrupt_record";
    case CaptureStop::corrupt_block: return "corrupt_block";
    case CaptureStop::unknown_interface: return "unknown_interface";
    case CaptureStop::second_link_type: return "second_link_type";
  }
  return "unknown";
}

}  // namespace botd
