// PcapWriter: writes packets to a classic pcap file with a given link type, snap length and
// timestamp precision, through libpcap's dump functions. It writes `path` directly: the
// caller makes it a place nobody reads until it is complete (split writes its windows into
// an OutputDirectory, io/output_file.h). Throws Error naming the file on any write failure.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "capture/capture_reader.h"

namespace botd {

class PcapWriter {
 public:
  PcapWriter(const std::filesystem::path& path, int link_type, uint32_t snaplen, TimestampPrecision precision);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  void write(const RawPacket& packet);
  // Flushes the file to disk, checks for write errors and closes it.
  void close();

 private:
  std::filesystem::path path_;
  TimestampPrecision precision_;
  struct Handles;
  std::unique_ptr<Handles> handles_;
};

}  // namespace botd
