// libFuzzer target: the capture stage on hostile bytes.
//
// Input: the first byte selects a link type (kLinkTypes[byte % size]; the high bit also makes
// the packet's wire length longer than its captured length); the rest is
// 1. one packet, decoded by PacketDecoder, and
// 2. a whole capture file (pcap or pcapng, gzip-compressed or not), read by CaptureReader
//    and decoded packet by packet by PacketSource.
// Checks, besides the sanitizers: the decoded payload lies inside the captured bytes.
// scripts/fuzz seeds it with packets cut from the shared captures (in kLinkTypes order).
#include <pcap/pcap.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "capture/decoder.h"
#include "capture/packet_source.h"
#include "core/error.h"
#include "io/input_stream.h"

namespace {

// Every link type is_supported_link_type() accepts. scripts/fuzz's seed extractor uses the
// same order: keep them in step.
constexpr int kLinkTypes[] = {
    DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP,
    DLT_PPP, DLT_PPP_SERIAL, DLT_PPP_ETHER, DLT_C_HDLC, DLT_IEEE802_11, DLT_IEEE802_11_RADIO, DLT_PPI, DLT_NFLOG,
    DLT_IPNET, DLT_SLIP, DLT_IPOIB, DLT_PKTAP, DLT_FRELAY, DLT_FDDI,
};
constexpr size_t kLinkTypeCount = sizeof(kLinkTypes) / sizeof(kLinkTypes[0]);
constexpr uint64_t kMaxPackets = 10'000;  // per capture input, to keep each run short

void check_payload_inside(const botd::PacketView& view, std::span<const uint8_t> bytes) {
  if (view.payload.empty()) return;
  if (view.payload.data() < bytes.data() || view.payload.data() + view.payload.size() > bytes.data() + bytes.size())
    __builtin_trap();
}

void decode_one_packet(int link_type, bool cut_short, std::span<const uint8_t> bytes) {
  botd::RawPacket raw;
  raw.time_ns = 1'313'488'906'972'101'000;
  raw.wire_len = uint32_t(bytes.size()) + (cut_short ? 1500 : 0);
  raw.bytes = bytes;
  botd::PacketView view;
  botd::PacketDecoder(link_type).decode(raw, view);
  check_payload_inside(view, bytes);
}

void read_capture(std::span<const uint8_t> bytes) {
  try {
    botd::PacketSource source(botd::InputStream::from_bytes("fuzz.pcap", bytes));
    botd::DecodedPacket packet;
    while (source.packets() < kMaxPackets && source.next(packet)) check_payload_inside(packet.view, packet.raw.bytes);
    (void)source.truncation_warning();
  } catch (const botd::Error&) {
    // Refusing a file (not a capture, unsupported link type, cut-off header) is fine.
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  for (int link_type : kLinkTypes)
    if (!botd::is_supported_link_type(link_type)) __builtin_trap();  // the table is out of date
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::span<const uint8_t> rest(data + 1, size - 1);
  decode_one_packet(kLinkTypes[(data[0] & 0x7f) % kLinkTypeCount], (data[0] & 0x80) != 0, rest);
  read_capture(rest);
  return 0;
}
