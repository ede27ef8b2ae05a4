#include "core/net_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

namespace botd {
namespace {
constexpr uint8_t kV4MappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
}

IpAddress IpAddress::from_v4(const uint8_t* network_order_bytes) {
  IpAddress address;
  std::memcpy(address.bytes_.data(), kV4MappedPrefix, 12);
  std::memcpy(address.bytes_.data() + 12, network_order_bytes, 4);
  return address;
}

IpAddress IpAddress::from_v6(const uint8_t* network_order_bytes) {
  IpAddress address;
  std::memcpy(address.bytes_.data(), network_order_bytes, 16);
  return address;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  char terminated[INET6_ADDRSTRLEN + 1];  // on the stack: reports parse every flow's addresses
  std::memcpy(terminated, text.data(), text.size());
  terminated[text.size()] = '\0';
  uint8_t buffer[16];
  if (inet_pton(AF_INET, terminated, buffer) == 1) return from_v4(buffer);
  if (inet_pton(AF_INET6, terminated, buffer) == 1) return from_v6(buffer);
  return std::nullopt;
}

bool IpAddress::is_v4() const { return std::memcmp(bytes_.data(), kV4MappedPrefix, 12) == 0; }

size_t IpAddress::to_chars(char* out) const {
  if (is_v4()) {  // by hand: inet_ntop goes through sprintf, and flows print millions of these
    char* end = out;
    for (int i = 0; i < 4; ++i) {
      const unsigned octet = v4_bytes()[i];
      if (i) *end++ = '.';
      if (octet >= 100) *end++ = char('0' + octet / 100);
      if (octet >= 10) *end++ = char('0' + octet / 10 % 10);
      *end++ = char('0' + octet % 10);
    }
    return size_t(end - out);
  }
  static_assert(kMaxText >= INET6_ADDRSTRLEN);
  inet_ntop(AF_INET6, bytes_.data(), out, kMaxText);
  return std::strlen(out);
}

std::string IpAddress::to_string() const {
  char text[kMaxText];
  return std::string(text, to_chars(text));
}

std::string MacAddress::to_string() const {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", bytes[0], bytes[1], bytes[2], bytes[3], bytes[4],
                     bytes[5]);
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
  const size_t slash = text.find('/');
  auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  const int max_length = address->is_v4() ? 32 : 128;
  int length = max_length;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    if (length < 0 || length > max_length) return std::nullopt;
  }
  IpPrefix prefix;
  prefix.length_in_v6_bits_ = address->is_v4() ? length + 96 : length;
  // Keep only the network bits, so that to_string() and contains() agree.
  std::array<uint8_t, 16> bytes;
  std::memcpy(bytes.data(), address->bytes(), 16);
  for (int bit = prefix.length_in_v6_bits_; bit < 128; ++bit) bytes[bit / 8] &= uint8_t(~(0x80 >> (bit % 8)));
  prefix.network_ = IpAddress::from_v6(bytes.data());
  for (int half = 0; half < 2; ++half) {
    const int bits = std::clamp(prefix.length_in_v6_bits_ - 64 * half, 0, 64);
    // The mask in the bytes' own order, so that it applies to them loaded as they lie.
    std::array<uint8_t, 8> mask{};
    for (int bit = 0; bit < bits; ++bit) mask[bit / 8] |= uint8_t(0x80 >> (bit % 8));
    std::memcpy(&prefix.mask_[half], mask.data(), 8);
    std::memcpy(&prefix.masked_network_[half], bytes.data() + 8 * half, 8);
  }
  return prefix;
}

// Two 64-bit comparisons: LAN checks run for both ends of every flow a report scores.
bool IpPrefix::contains(const IpAddress& address) const {
  uint64_t half[2];
  std::memcpy(half, address.bytes(), 16);
  return (half[0] & mask_[0]) == masked_network_[0] && (half[1] & mask_[1]) == masked_network_[1];
}

std::string IpPrefix::to_string() const {
  const bool v4 = network_.is_v4() && length_in_v6_bits_ >= 96;
  return fmt::format("{}/{}", network_.to_string(), v4 ? length_in_v6_bits_ - 96 : length_in_v6_bits_);
}

}  // namespace botd
