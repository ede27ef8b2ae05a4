// Network addresses as botd stores them: IPv4 and IPv6 in one 16-byte form (IPv4 as
// ::ffff:a.b.c.d, like zeek), MAC addresses in 6 bytes, and CIDR prefixes for --lan.
//
// Parsing returns std::nullopt on malformed text; formatting never fails.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace botd {

class IpAddress {
 public:
  IpAddress() = default;
  static IpAddress from_v4(const uint8_t* network_order_bytes);
  static IpAddress from_v6(const uint8_t* network_order_bytes);
  static std::optional<IpAddress> parse(std::string_view text);

  bool is_v4() const;
  const uint8_t* bytes() const { return bytes_.data(); }          // 16 bytes, network order
  const uint8_t* v4_bytes() const { return bytes_.data() + 12; }  // REQUIRES: is_v4()
  // Dotted quad for IPv4, compressed (inet_ntop) form for IPv6.
  std::string to_string() const;
  // The same text into `out`, which has room for kMaxText characters; returns how many.
  static constexpr size_t kMaxText = 46;  // INET6_ADDRSTRLEN
  size_t to_chars(char* out) const;

  auto operator<=>(const IpAddress&) const = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

struct MacAddress {
  std::array<uint8_t, 6> bytes{};
  std::string to_string() const;  // "00:11:22:aa:bb:cc"
  auto operator<=>(const MacAddress&) const = default;
};

// An address prefix such as 192.168.0.0/16 or fc00::/7.
class IpPrefix {
 public:
  static std::optional<IpPrefix> parse(std::string_view text);
  bool contains(const IpAddress& address) const;
  std::string to_string() const;

 private:
  IpAddress network_;
  int length_in_v6_bits_ = 0;  // IPv4 prefixes count the 96 bits of the ::ffff: part
  uint64_t mask_[2] = {0, 0};  // the network bits of the 16 bytes, as two 8-byte loads see them
  uint64_t masked_network_[2] = {0, 0};
};

}  // namespace botd
