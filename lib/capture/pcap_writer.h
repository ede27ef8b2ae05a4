// PcapWriter: writes packets to a classic pcap file with a given link type, snap length and
// timestamp precision, through libpcap's dump functions. It writes `path` directly: the
// caller makes it a place nobody reads until it is complete (split writes its windows into
// an OutputDirectory, io/output_file.h). Throws Error naming the file on any write failure.
//
// pcap_file_header() and pcap_record_header() give the bytes it writes before the records and
// before each record's bytes, for writers that copy records instead (split, when a record
// is stored in its input exactly as PcapWriter would write it).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "capture/capture_reader.h"

namespace botd {

// The 24-byte file header PcapWriter writes (libpcap's own: host byte order, version 2.4).
// Throws Error when libpcap cannot make it.
std::array<uint8_t, 24> pcap_file_header(int link_type, uint32_t snaplen, TimestampPrecision precision);
// The 16-byte record header PcapWriter writes before `packet`'s bytes.
std::array<uint8_t, 16> pcap_record_header(const RawPacket& packet, TimestampPrecision precision);

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
