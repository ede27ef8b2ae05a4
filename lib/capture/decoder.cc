#include "capture/decoder.h"

#include <pcap/pcap.h>

#include <cstring>

#include "capture/decode_internal.h"

namespace botd {

bool is_supported_link_type(int link_type) {
  switch (link_type) {
    case DLT_EN10MB: case DLT_LINUX_SLL: case DLT_LINUX_SLL2: case DLT_RAW: case DLT_IPV4: case DLT_IPV6:
    case DLT_NULL: case DLT_LOOP: case DLT_PPP: case DLT_PPP_SERIAL: case DLT_PPP_ETHER: case DLT_C_HDLC:
    case DLT_IEEE802_11: case DLT_IEEE802_11_RADIO: case DLT_PPI: case DLT_NFLOG: case DLT_IPNET: case DLT_SLIP:
    case DLT_IPOIB: case DLT_PKTAP: case DLT_FRELAY: case DLT_FDDI:
      return true;
    default:
      return false;
  }
}

std::string link_type_name(int link_type) {
  const char* name = pcap_datalink_val_to_name(link_type);
  const char* description = pcap_datalink_val_to_description(link_type);
  if (name == nullptr && link_type >= DLT_USER0 && link_type <= DLT_USER15)  // libpcap leaves these unnamed
    return std::to_string(link_type) + " (USER" + std::to_string(link_type - DLT_USER0) + ", private use)";
  if (name == nullptr) return std::to_string(link_type);
  std::string text = std::to_string(link_type) + " (" + name;
  if (description != nullptr && std::strcmp(description, name) != 0) text += ", " + std::string(description);
  return text + ")";
}

Damage PacketDecoder::decode(const RawPacket& raw, PacketView& view) const {
  view = PacketView{};
  view.time_ns = raw.time_ns;
  view.wire_len = raw.wire_len;
  view.captured_len = uint32_t(raw.bytes.size());
  return decode::link_layer(link_type_, raw.bytes, view, 0);
}

}  // namespace botd
