// PacketSource: the capture stage's output — every record of a capture, decoded once.
//
// Opening fails with an Error naming the file when the capture cannot be read (see
// CaptureReader) or its link type is one botd does not decode. Each record is returned with
// its Damage; damaged records are counted per reason (damage()). A record whose time botd
// does not represent (core/time_format.h) is damaged as timestamp_out_of_range, not decoded. When the capture is cut
// off mid-record, truncation_warning() gives the one line to show the user.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "capture/capture_reader.h"
#include "capture/damage.h"
#include "capture/decoder.h"
#include "capture/packet.h"

namespace botd {

class InputStream;
struct InputPosition;

struct DecodedPacket {
  RawPacket raw;
  PacketView view;
  Damage damage = Damage::none;
};

class PacketSource {
 public:
  explicit PacketSource(const std::string& path);
  explicit PacketSource(std::unique_ptr<InputStream> input);

  const CaptureInfo& info() const { return reader_.info(); }

  // Reads and decodes the next record. Returns false at the end of the capture.
  bool next(DecodedPacket& packet);

  uint64_t packets() const { return reader_.packets_read(); }
  uint64_t wire_bytes() const { return wire_bytes_; }
  const DamageCounts& damage() const { return damage_; }
  // Why the capture ended early (CaptureStop::none when it did not).
  const StopReason& stop() const { return reader_.stop(); }
  // "x.pcap: capture cut off after packet 12 (byte 3456): kept the 12 whole packets before the
  // cut (...)", or for another reason "x.pcapng: capture stopped after packet 12 (byte 3456),
  // corrupt_block: ...; kept the 12 packets before it"; nullopt when the capture ended cleanly.
  std::optional<std::string> truncation_warning() const;
  // The file's read position, for progress displays.
  std::shared_ptr<const InputPosition> position() const { return position_; }

 private:
  std::shared_ptr<const InputPosition> position_;
  CaptureReader reader_;
  PacketDecoder decoder_;
  uint64_t wire_bytes_ = 0;
  DamageCounts damage_;
};

}  // namespace botd
