#include "capture/packet_source.h"

#include <pcap/pcap.h>

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
    : position_(input->position()), reader_(std::move(input)), decoder_(checked_link_type(reader_)) {}

bool PacketSource::next(DecodedPacket& packet) {
  if (!reader_.next(packet.raw)) return false;
  wire_bytes_ += packet.raw.wire_len;
  packet.damage = decoder_.decode(packet.raw, packet.view);  // the view always describes this packet
  if (!in_time_range(packet.raw.time_ns)) packet.damage = Damage::timestamp_out_of_range;
  if (packet.damage != Damage::none) damage_.add(packet.damage);
  return true;
}

std::optional<std::string> PacketSource::truncation_warning() const {
  if (stop().reason == CaptureStop::none) return std::nullopt;
  const uint64_t kept = reader_.packets_read();
  if (stop().reason == CaptureStop::cut_off)
    return fmt::format("{}: capture cut off after packet {} (byte {}): kept the {} whole packets before the cut ({})",
                       info().name, kept, stop().offset, kept, stop().detail);
  return fmt::format("{}: capture stopped after packet {} (byte {}), {}: {}; kept the {} packets before it",
                     info().name, kept, stop().offset, capture_stop_name(stop().reason), stop().detail, kept);
}

}  // namespace botd
