// PacketSource: the capture stage's output — every record of a capture, decoded once.
//
// Several captures of one interface (tcpdump's rotated files, -G or -C) are read as one: in
// the order of their first packets, whatever the order given, each file after the one before,
// so that windows and flows cross file boundaries as if the files were one. All must share
// a link type; a file that starts earlier than the file before it ended (beyond the allowed
// lateness) overlaps it and is refused, with an Error naming both.
//
// Opening fails with an Error naming the file when the capture cannot be read (see
// CaptureReader) or its link type is one botd does not decode. Each record is returned with
// its Damage; damaged records are counted per reason (damage()). A record whose time botd
// does not represent (core/time_format.h) is damaged as timestamp_out_of_range, not decoded. When the capture is cut
// off mid-record, truncation_warning() gives the one line to show the user.
//
// A live capture (capture/live_capture.h) is read the same way, packet by packet, with one
// more answer: read() says `quiet` when no packet came within the capture's wait, and now_ns()
// is then the time it gave up waiting (so that windows close on a quiet link).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
  // Several capture files read as one (not "-", and each a capture: a flow file among them is
  // refused by name); a packet up to `lateness_ns` earlier than the
  // latest of the file before is no overlap (it is late, as it would be inside one file).
  PacketSource(const std::vector<std::string>& paths, int64_t lateness_ns);
  // Packets from a network interface as they come; throws Error when it cannot capture.
  explicit PacketSource(const LiveCaptureOptions& live);
  ~PacketSource();

  // Of the first file; with several, its name says how many ("a.pcap and 6 more").
  const CaptureInfo& info() const { return info_; }

  // Reads and decodes the next record. Returns false at the end of the capture.
  bool next(DecodedPacket& packet);
  // The same, or ReadStatus::quiet when a live capture had no packet within its wait.
  ReadStatus read(DecodedPacket& packet);
  // The time (ns since the epoch) of the last `quiet` read: no packet had come by then.
  int64_t now_ns() const { return now_ns_; }
  // libpcap's counters so far, for a live capture; none for files.
  std::optional<LiveCounters> live_counters() const { return reader_->live_counters(); }

  // Where the last record lies in its file as stored (CaptureReader::stored()); nullptr when
  // not known.
  const StoredRecord* stored() const { return reader_->stored(); }

  uint64_t packets() const { return packets_before_ + reader_->packets_read(); }
  uint64_t wire_bytes() const { return wire_bytes_; }
  const DamageCounts& damage() const { return damage_; }
  // Why the capture ended early (CaptureStop::none when it did not); of several files, the
  // first that did.
  const StopReason& stop() const;
  // For each file that ended early: "x.pcap: capture cut off after packet 12 (byte 3456): kept
  // the 12 whole packets before the cut (...)", or for another reason "x.pcapng: capture
  // stopped after packet 12 (byte 3456), corrupt_block: ...; kept the 12 packets before it";
  // for a live capture whose interface failed, "eth0: capture stopped after packet 12: The
  // interface went down". Empty when every file ended cleanly.
  std::vector<std::string> truncation_warnings() const;
  // The read position over all the files, for progress displays.
  std::shared_ptr<const InputPosition> position() const { return position_; }

 private:
  struct EndedFile {
    std::string name;
    uint64_t packets;
    StopReason stop;
  };
  struct FileOrder {  // several files in the order to read them, and their sizes
    std::vector<std::string> paths;
    uint64_t size = 0;
  };
  static FileOrder in_time_order(const std::vector<std::string>& paths);
  PacketSource(FileOrder order, int64_t lateness_ns);
  bool next_file();       // opens the next of pending_; false when there is none
  void end_file();        // keeps reader_'s StopReason when it ended early

  std::shared_ptr<const InputPosition> file_position_;  // of reader_'s file
  std::unique_ptr<CaptureReader> reader_;
  CaptureInfo info_;
  std::vector<std::string> pending_;  // the files still to read, the next last
  int64_t lateness_ns_ = 0;
  int64_t latest_ns_ = std::numeric_limits<int64_t>::min();  // of the packets read so far
  std::string previous_name_;                                // of the file before reader_'s
  bool file_started_ = false;                                // reader_ gave a packet
  uint64_t packets_before_ = 0;                             // of the files done
  uint64_t bytes_before_ = 0;                                // of the files done
  std::shared_ptr<InputPosition> position_;                 // over all the files
  std::vector<EndedFile> stops_;  // the files done that ended early
  PacketDecoder decoder_;
  uint64_t wire_bytes_ = 0;
  DamageCounts damage_;
  int64_t now_ns_ = 0;
};

}  // namespace botd
