// net_types.h — small value types shared by the generator: time in microseconds,
// IPv4 and MAC addresses, byte buffers, and their text forms.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace synth {

using Bytes = std::vector<uint8_t>;

// Absolute time in microseconds since the Unix epoch.
using Micros = int64_t;
constexpr Micros kMillisecond = 1000;
constexpr Micros kSecond = 1000 * kMillisecond;
constexpr Micros kMinute = 60 * kSecond;

inline Micros from_seconds(double seconds) { return static_cast<Micros>(std::llround(seconds * 1e6)); }
inline Micros from_millis(double millis) { return static_cast<Micros>(std::llround(millis * 1e3)); }

// IPv4 address in host byte order.
using Ipv4 = uint32_t;
constexpr Ipv4 make_ip(uint32_t a, uint32_t b, uint32_t c, uint32_t d) { return (a << 24) | (b << 16) | (c << 8) | d; }

// Joins text pieces by appending. Used instead of `"literal" + std::string(...)`, which
// GCC 12 at -O3 reports with false -Wrestrict warnings.
template <typename... Pieces>
std::string concat(const Pieces&... pieces) {
  std::string out;
  (out.append(std::string_view(pieces)), ...);
  return out;
}

inline std::string ip_to_string(Ipv4 ip) {
  return concat(std::to_string(ip >> 24), ".", std::to_string((ip >> 16) & 255), ".",
                std::to_string((ip >> 8) & 255), ".", std::to_string(ip & 255));
}

struct MacAddr {
  std::array<uint8_t, 6> bytes{};
};

constexpr MacAddr kBroadcastMac{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
constexpr MacAddr kZeroMac{};

// "2025-03-05T10:00:00Z" for a time in whole seconds since the epoch.
inline std::string iso8601_utc(int64_t epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

inline int64_t floor_seconds(Micros t) { return t >= 0 ? t / kSecond : -((-t + kSecond - 1) / kSecond); }

}  // namespace synth
