// SlotPool: objects addressed by a 32-bit slot number, stored in fixed-size chunks so that
// growing never copies them (a vector would briefly need twice the memory of a big flow
// table), with freed slots reused. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace botd {

template <typename T>
class SlotPool {
 public:
  uint32_t allocate() {
    uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = size_++;
      if ((slot >> kChunkBits) == chunks_.size()) chunks_.push_back(std::make_unique<T[]>(kChunkSize));
    }
    (*this)[slot] = T{};
    return slot;
  }
  void release(uint32_t slot) { free_.push_back(slot); }
  T& operator[](uint32_t slot) { return chunks_[slot >> kChunkBits][slot & (kChunkSize - 1)]; }
  const T& operator[](uint32_t slot) const { return chunks_[slot >> kChunkBits][slot & (kChunkSize - 1)]; }
  size_t live() const { return size_ - free_.size(); }

 private:
  static constexpr uint32_t kChunkBits = 12, kChunkSize = 1u << kChunkBits;
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::vector<uint32_t> free_;
  uint32_t size_ = 0;
};

// SlotArray: values beside a SlotPool's objects, at the same slot numbers, in chunks.
template <typename T>
class SlotArray {
 public:
  // The value at `slot`, created (default) when the array does not reach it yet.
  T& at(uint32_t slot) {
    while ((slot >> kChunkBits) >= chunks_.size()) chunks_.push_back(std::make_unique<T[]>(kChunkSize));
    return chunks_[slot >> kChunkBits][slot & (kChunkSize - 1)];
  }

 private:
  static constexpr uint32_t kChunkBits = 12, kChunkSize = 1u << kChunkBits;
  std::vector<std::unique_ptr<T[]>> chunks_;
};

}  // namespace botd
