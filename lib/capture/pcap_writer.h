// PcapWriter: writes packets to a classic pcap file with a given link type, snap length and
// timestamp precision, through libpcap's dump functions, under a temporary name until
// commit() (see PendingFile). Throws Error naming the file on any write failure.
#pragma once

#include <cstdint>
#include <filesystem>

#include "capture/capture_reader.h"
#include "io/output_file.h"

namespace botd {

class PcapWriter {
 public:
  PcapWriter(const std::filesystem::path& path, int link_type, uint32_t snaplen, TimestampPrecision precision);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  void write(const RawPacket& packet);
  void commit();

 private:
  PendingFile pending_;
  TimestampPrecision precision_;
  struct Handles;
  std::unique_ptr<Handles> handles_;
};

}  // namespace botd
