// capture.h — the packet store. Behaviours add frames with their capture timestamps in any
// order; finalize() sorts them by (time, insertion order), stamps IPv4 identification fields
// per source address in time order, and write_pcap() writes a microsecond Ethernet pcap.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "net_types.h"

namespace synth {

class Capture {
 public:
  using RecordId = uint32_t;
  static constexpr RecordId kDropped = UINT32_MAX;

  // Frames stamped outside [start, end) are silently dropped: sessions may start before or
  // run past the capture window.
  Capture(Micros start, Micros end, uint64_t seed);

  RecordId add(Micros time, const Bytes& frame);
  // An ICMP error whose body quotes the IPv4 header of record `quoted`; finalize() copies the
  // quoted packet's IP id into the quote so the two agree.
  RecordId add_icmp_error(Micros time, const Bytes& frame, RecordId quoted);

  std::span<const uint8_t> frame(RecordId id) const;
  size_t packet_count() const { return records_.size(); }
  uint64_t byte_count() const { return data_.size(); }

  void finalize();
  // Throws std::runtime_error on failure.
  void write_pcap(const std::string& path) const;

  // Calls visit(time, frame) for every frame in time order (after finalize()).
  template <typename Visitor>
  void for_each_in_order(Visitor&& visit) const {
    for (RecordId id : order_) visit(records_[id].time, frame(id));
  }

 private:
  struct Record {
    Micros time;
    uint64_t offset;
    uint32_t length;
    RecordId quoted;  // kDropped when the frame quotes nothing
  };

  void stamp_ip_ids();
  std::span<uint8_t> mutable_frame(RecordId id);

  Micros start_;
  Micros end_;
  uint64_t seed_;
  std::vector<uint8_t> data_;
  std::vector<Record> records_;
  std::vector<RecordId> order_;
};

}  // namespace synth
