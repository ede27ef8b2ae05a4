#include "capture/dns_message.h"

namespace botd {
namespace {

constexpr size_t kHeaderBytes = 12;
constexpr size_t kMaxNameBytes = 255;
constexpr int kMaxPointers = 16;  // more jumps than any real name needs: a loop

}  // namespace

std::optional<DnsMessage> parse_dns(std::span<const uint8_t> payload) {
  if (payload.size() < kHeaderBytes) return std::nullopt;
  const uint8_t opcode = (payload[2] >> 3) & 0x0f;
  const unsigned questions = unsigned(payload[4]) << 8 | payload[5];
  if (opcode != 0 || questions != 1) return std::nullopt;

  DnsMessage message;
  message.response = (payload[2] & 0x80) != 0;
  message.rcode = payload[3] & 0x0f;
  size_t at = kHeaderBytes;
  size_t name_bytes = 1;  // the root's length byte
  int pointers = 0;
  while (true) {
    if (at >= payload.size()) return std::nullopt;
    const uint8_t length = payload[at];
    if (length == 0) break;
    if ((length & 0xc0) == 0xc0) {  // a pointer to a name earlier in the message
      if (at + 1 >= payload.size() || ++pointers > kMaxPointers) return std::nullopt;
      at = size_t(length & 0x3f) << 8 | payload[at + 1];
      continue;
    }
    if (length > 63) return std::nullopt;  // 0x40/0x80: extended label types, obsolete
    name_bytes += 1 + length;
    if (name_bytes > kMaxNameBytes || at + 1 + length > payload.size()) return std::nullopt;
    if (!message.name.empty()) message.name += '.';
    for (size_t i = at + 1; i <= at + length; ++i) {
      const char c = char(payload[i]);
      message.name += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    }
    at += 1 + length;
  }
  return message;
}

}  // namespace botd
