#include <pcap/pcap.h>

#include "capture/decoder.h"
#include "capture/packet_source.h"
#include "core/error.h"
#include "fuzz_targets.h"
#include "io/input_stream.h"

namespace botd::fuzz {
namespace {

// Every link type is_supported_link_type() accepts; scripts/fuzz's seed extractor lists the
// same, in the same order.
constexpr int kLinkTypes[] = {
    DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP,
    DLT_PPP, DLT_PPP_SERIAL, DLT_PPP_ETHER, DLT_C_HDLC, DLT_IEEE802_11, DLT_IEEE802_11_RADIO, DLT_PPI, DLT_NFLOG,
    DLT_IPNET, DLT_SLIP, DLT_IPOIB, DLT_PKTAP, DLT_FRELAY, DLT_FDDI,
};
constexpr size_t kLinkTypeCount = sizeof(kLinkTypes) / sizeof(kLinkTypes[0]);
constexpr uint64_t kMaxPackets = 10'000;  // per capture input, to keep each run short

bool payload_inside(const PacketView& view, std::span<const uint8_t> bytes) {
  return view.payload.empty() || (view.payload.data() >= bytes.data() &&
                                  view.payload.data() + view.payload.size() <= bytes.data() + bytes.size());
}

}  // namespace

std::string check_fuzzed_link_types() {
  for (int link_type : kLinkTypes)
    if (!is_supported_link_type(link_type)) return "link type " + link_type_name(link_type) + " is not supported";
  return "";
}

std::string packet_decoder_one_input(std::span<const uint8_t> data) {
  if (data.empty()) return "";
  const std::span<const uint8_t> rest = data.subspan(1);

  RawPacket raw;
  raw.time_ns = 1'313'488'906'972'101'000;
  raw.wire_len = uint32_t(rest.size()) + ((data[0] & 0x80) ? 1500 : 0);
  raw.bytes = rest;
  PacketView view;
  PacketDecoder(kLinkTypes[(data[0] & 0x7f) % kLinkTypeCount]).decode(raw, view);
  if (!payload_inside(view, rest)) return "the decoded payload lies outside the packet";

  try {
    PacketSource source(InputStream::from_bytes("fuzz.pcap", rest));
    DecodedPacket packet;
    while (source.packets() < kMaxPackets && source.next(packet))
      if (!payload_inside(packet.view, packet.raw.bytes))
        return "the decoded payload of capture record " + std::to_string(source.packets()) + " lies outside it";
    (void)source.truncation_warnings();
  } catch (const Error&) {
    // Refusing a file (not a capture, unsupported link type, cut-off header) is fine.
  }
  return "";
}

}  // namespace botd::fuzz
