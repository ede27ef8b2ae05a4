// botd reads pcapng itself because libpcap 1.10 refuses sections whose interfaces differ in
// snap length (zeek's gap-data-missing capture), which Wireshark and editcap read. Blocks:
// SHB (byte order), IDB (link type, snap length, if_tsresol, if_tsoffset), EPB, SPB and the
// obsolete PB carry what botd needs; every other block is skipped. A packet on an interface
// whose link type differs from the first interface's ends the capture with a stop reason.
#include <algorithm>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "capture/decode_internal.h"
#include "capture/record_source.h"
#include "core/error.h"

namespace botd {
namespace {

constexpr uint32_t kSectionHeader = 0x0a0d0d0a, kInterface = 1, kObsoletePacket = 2, kSimplePacket = 3,
                   kEnhancedPacket = 6;
constexpr uint32_t kMaxBlockBytes = 256u << 20;

struct Interface {
  int link_type = 0;
  uint32_t snaplen = 0;
  uint8_t resolution = 6;  // if_tsresol: 10^-r seconds, or 2^-(r & 0x7f) when the top bit is set
  int64_t offset_seconds = 0;
};

__extension__ using int128 = __int128;  // ticks × 10^9 needs more than 64 bits

int64_t to_nanoseconds(uint64_t ticks, const Interface& interface) {
  const uint8_t r = interface.resolution;
  int128 ns;
  if (r & 0x80) {
    ns = (int128(ticks) * 1'000'000'000) >> std::min<int>(r & 0x7f, 127);
  } else if (r <= 9) {
    int128 scale = 1;
    for (int i = r; i < 9; ++i) scale *= 10;
    ns = int128(ticks) * scale;
  } else {
    int128 divisor = 1;
    for (int i = 9; i < r && i < 40; ++i) divisor *= 10;
    ns = int128(ticks) / divisor;
  }
  ns += int128(interface.offset_seconds) * 1'000'000'000;
  // Beyond 64 bits the time is out of botd's range anyway: keep it out of range, not wrapped.
  if (ns > int128(std::numeric_limits<int64_t>::max()) || ns < int128(std::numeric_limits<int64_t>::min()))
    return std::numeric_limits<int64_t>::max();
  return int64_t(ns);
}

class PcapngRecords : public RecordSource {
 public:
  PcapngRecords(std::unique_ptr<InputStream> input, CaptureInfo& info) : input_(std::move(input)) {
    while (interfaces_.empty()) {
      if (!read_block()) fail("{}: pcapng file without an interface description: no packets to read", info.name);
      if (type_ == kInterface) add_interface();
      if (stopped()) fail("{}: {}", info.name, stop_.detail);
    }
    link_type_ = info.link_type = interfaces_[0].link_type;
    info.snaplen = interfaces_[0].snaplen;
    info.precision = interfaces_[0].resolution >= 7 && !(interfaces_[0].resolution & 0x80) ? TimestampPrecision::nano
                                                                                          : TimestampPrecision::micro;
  }

  ReadStatus read(RawPacket& packet) override {
    while (!stopped() && read_block()) {
      switch (type_) {
        case kInterface: add_interface(); break;
        case kEnhancedPacket: if (enhanced_packet(packet)) return ReadStatus::record; break;
        case kSimplePacket: if (simple_packet(packet)) return ReadStatus::record; break;
        case kObsoletePacket: if (obsolete_packet(packet)) return ReadStatus::record; break;
        default: break;
      }
    }
    return ReadStatus::end;
  }

 private:
  uint32_t u32(const uint8_t* p) const { return little_ ? decode::le32(p) : decode::be32(p); }
  uint16_t u16(const uint8_t* p) const { return little_ ? decode::le16(p) : decode::be16(p); }

  void stop_at_block(CaptureStop reason, std::string detail) {
    if (!stopped()) stop_ = {reason, std::move(detail), block_offset_};
  }

  // Reads exactly `size` bytes; false at a clean end (nothing read) or after stop_at_block() when cut short.
  bool read_exact(uint8_t* buffer, size_t size, bool at_block_start) {
    size_t got = 0;
    while (got < size) {
      const size_t n = input_->read(buffer + got, size - got);
      if (n == 0) break;
      got += n;
    }
    if (got == size) return true;
    if (got == 0 && at_block_start && input_->read_error().empty()) return false;
    if (!input_->read_error().empty()) stop_at_block(CaptureStop::read_error, input_->read_error());
    else stop_at_block(CaptureStop::cut_off, "truncated pcapng block: the capture ends inside a block");
    return false;
  }

  // Reads one block into body_ (without its type and lengths). False at the end or on damage.
  bool read_block() {
    block_offset_ = input_->offset();
    uint8_t header[12];
    if (!read_exact(header, 8, true)) return false;
    type_ = u32(header);
    size_t header_len = 8;
    if (decode::be32(header) == kSectionHeader) {
      type_ = kSectionHeader;
      if (!read_exact(header + 8, 4, false)) return false;
      const uint32_t bom = decode::le32(header + 8);
      if (bom != 0x1a2b3c4d && bom != 0x4d3c2b1a) return stop_at_block(CaptureStop::corrupt_block, "corrupt pcapng section header (bad byte-order magic)"), false;
      little_ = bom == 0x1a2b3c4d;
      header_len = 12;
      interfaces_.clear();
    }
    const uint32_t length = u32(header + 4);
    if (length < header_len + 4 || length % 4 != 0 || length > kMaxBlockBytes)
      return stop_at_block(CaptureStop::corrupt_block, fmt::format("corrupt pcapng block (type {}, length {})", type_, length)), false;
    body_.resize(length - header_len);
    if (!read_exact(body_.data(), body_.size(), false)) return false;
    if (u32(body_.data() + body_.size() - 4) != length)
      return stop_at_block(CaptureStop::corrupt_block, fmt::format("corrupt pcapng block (type {}): its two lengths differ", type_)), false;
    body_.resize(body_.size() - 4);
    return true;
  }

  void add_interface() {
    if (body_.size() < 8) return stop_at_block(CaptureStop::corrupt_block, "corrupt pcapng interface description block");
    Interface interface;
    interface.link_type = u16(&body_[0]);
    interface.snaplen = u32(&body_[4]);
    for (size_t at = 8; at + 4 <= body_.size();) {
      const uint16_t code = u16(&body_[at]), length = u16(&body_[at + 2]);
      if (code == 0 || at + 4 + length > body_.size()) break;
      if (code == 9 && length >= 1) interface.resolution = body_[at + 4];
      if (code == 14 && length >= 8)
        interface.offset_seconds = int64_t(little_ ? uint64_t(u32(&body_[at + 8])) << 32 | u32(&body_[at + 4])
                                                   : uint64_t(u32(&body_[at + 4])) << 32 | u32(&body_[at + 8]));
      at += 4 + ((length + 3u) & ~3u);
    }
    interfaces_.push_back(interface);
  }

  bool packet_from(RawPacket& packet, uint32_t interface_id, uint64_t ticks, uint32_t captured, uint32_t wire,
                   size_t data_at) {
    if (interface_id >= interfaces_.size())
      return stop_at_block(CaptureStop::unknown_interface, fmt::format("corrupt pcapng packet block: interface {} was never described", interface_id)), false;
    if (interfaces_[interface_id].link_type != link_type_)
      return stop_at_block(CaptureStop::second_link_type, fmt::format("a packet on interface {} has link type {}, the first interface {}: botd reads one "
                              "link type per capture",
                              interface_id, interfaces_[interface_id].link_type, link_type_)),
             false;
    if (data_at + captured > body_.size())
      return stop_at_block(CaptureStop::corrupt_block, "corrupt pcapng packet block: its captured length exceeds the block"), false;
    packet.time_ns = to_nanoseconds(ticks, interfaces_[interface_id]);
    packet.wire_len = wire;
    packet.bytes = std::span<const uint8_t>(body_.data() + data_at, captured);
    return true;
  }

  bool enhanced_packet(RawPacket& packet) {
    if (body_.size() < 20) return stop_at_block(CaptureStop::corrupt_block, "corrupt pcapng enhanced packet block"), false;
    const uint64_t ticks = uint64_t(u32(&body_[4])) << 32 | u32(&body_[8]);
    return packet_from(packet, u32(&body_[0]), ticks, u32(&body_[12]), u32(&body_[16]), 20);
  }

  bool obsolete_packet(RawPacket& packet) {
    if (body_.size() < 20) return stop_at_block(CaptureStop::corrupt_block, "corrupt pcapng packet block"), false;
    const uint64_t ticks = uint64_t(u32(&body_[4])) << 32 | u32(&body_[8]);
    return packet_from(packet, u16(&body_[0]), ticks, u32(&body_[12]), u32(&body_[16]), 20);
  }

  // Simple packets have no timestamp: they take the previous packet's time, as Wireshark shows them.
  bool simple_packet(RawPacket& packet) {
    if (body_.size() < 4 || interfaces_.empty()) return stop_at_block(CaptureStop::corrupt_block, "corrupt pcapng simple packet block"), false;
    const uint32_t wire = u32(&body_[0]);
    const uint32_t captured = uint32_t(std::min<size_t>({wire, body_.size() - 4, interfaces_[0].snaplen ? interfaces_[0].snaplen : wire}));
    const int64_t time_ns = packet.time_ns;
    if (!packet_from(packet, 0, 0, captured, wire, 4)) return false;
    packet.time_ns = time_ns;
    return true;
  }

  std::unique_ptr<InputStream> input_;
  std::vector<Interface> interfaces_;
  int link_type_ = -1;  // the first interface's: every packet must have it
  bool little_ = true;
  uint32_t type_ = 0;
  uint64_t block_offset_ = 0;
  std::vector<uint8_t> body_;
};

}  // namespace

std::unique_ptr<RecordSource> open_pcapng_records(std::unique_ptr<InputStream> input, CaptureInfo& info) {
  return std::make_unique<PcapngRecords>(std::move(input), info);
}

}  // namespace botd
