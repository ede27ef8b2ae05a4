// rng.h — deterministic pseudo-random numbers for botd-synth.
// xoshiro256** seeded with splitmix64, plus hand-written uniform / exponential / normal /
// log-normal transforms. std::*_distribution is deliberately not used: its output differs
// between standard libraries, and the generator must be byte-reproducible.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace synth {

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// FNV-1a, used to turn stream labels into seeds.
inline uint64_t hash_label(std::string_view label) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : label) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

// Mixes two 64-bit values into one well-distributed value.
inline uint64_t mix64(uint64_t a, uint64_t b) {
  uint64_t s = a ^ (b * 0x9E3779B97F4A7C15ULL);
  splitmix64(s);
  return splitmix64(s);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : seed_(seed) {
    uint64_t s = seed;
    for (auto& word : state_) word = splitmix64(s);
  }

  // An independent stream named `label`, derived from this generator's seed only
  // (not from how far it has advanced), so streams do not depend on generation order.
  Rng fork(std::string_view label) const { return Rng(mix64(seed_, hash_label(label))); }

  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  uint32_t next32() { return static_cast<uint32_t>(next() >> 32); }
  uint16_t next16() { return static_cast<uint16_t>(next() >> 48); }

  // Uniform in [0, 1).
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }

  // Uniform integer in [0, n), n > 0, without modulo bias (rejection sampling).
  uint64_t below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = next();
    while (x >= limit);
    return x % n;
  }

  // Uniform integer in [lo, hi] (inclusive).
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
  }

  bool chance(double probability) { return uniform01() < probability; }

  double exponential(double mean) { return -mean * std::log(1.0 - uniform01()); }

  // Box-Muller; one value per call (no cached second value, keeps the stream simple).
  double normal(double mean, double stddev) {
    double u1 = 1.0 - uniform01();  // (0, 1]
    double u2 = uniform01();
    return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
  }

  // Log-normal with the given median and log-space standard deviation.
  double lognormal(double median, double sigma) { return median * std::exp(normal(0.0, sigma)); }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
  }

  void fill(uint8_t* out, size_t count) {
    while (count >= 8) {
      uint64_t v = next();
      for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
      out += 8;
      count -= 8;
    }
    uint64_t v = next();
    for (size_t i = 0; i < count; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t seed_;
  uint64_t state_[4];
};

}  // namespace synth
