// CaptureReader: reads the records of a pcap or pcapng capture (gzip-compressed or not),
// from a file or from standard input ("-"), with timestamps in nanoseconds: pcap through
// libpcap, pcapng through botd's own block reader (libpcap refuses some valid pcapng files);
// or the packets of a network interface as they come (live_capture.h).
//
// Opening fails with an Error naming the file when it is missing, empty, not a capture, or has
// a cut-off file header. Reading never fails: a capture cut off (or damaged) mid-record simply
// ends after the last whole record, and stop() says why, by name.
//
// For a classic pcap read uncompressed, stored() also says where each record lies in the
// input, as the file holds it (split copies records from there, pipeline/split_job.h).
//
// Not thread-safe; one reader per input. The bytes of a RawPacket stay valid only until the
// next call to next().
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "capture/decoder.h"
#include "capture/live_capture.h"

namespace botd {

class InputStream;
class RecordSource;

enum class TimestampPrecision { micro, nano };

struct CaptureInfo {
  std::string name;  // the path as given, "stdin", or a live capture's interface
  int link_type = 0;  // libpcap DLT value
  uint32_t file_link_type = 0;  // pcap: the value the file header holds (LINKTYPE_*), for messages
  uint32_t snaplen = 0;
  TimestampPrecision precision = TimestampPrecision::micro;  // of the file itself
  bool pcapng = false;
  std::vector<std::string> warnings;  // a live capture's, at opening (promiscuous mode refused, ...)
};

// Why a capture ended before the end of its file. Names are stable: they appear in summaries
// and in --stats JSON.
enum class CaptureStop : uint8_t {
  none,
  cut_off,            // the file ends inside a record (a capture still being written, a cut copy)
  read_error,         // the input could not be read (an I/O error, a gzip stream cut short)
  corrupt_record,     // a record header that cannot be right (a length beyond the snap length)
  corrupt_block,      // a pcapng block whose lengths or fields cannot be right
  unknown_interface,  // a pcapng packet on an interface that was never described
  second_link_type,   // a pcapng packet on an interface of another link type than the first
};
std::string_view capture_stop_name(CaptureStop stop);

struct StopReason {
  CaptureStop reason = CaptureStop::none;
  std::string detail;   // what the reader said, for people
  uint64_t offset = 0;  // the input's byte offset where reading stopped
};

// A record of a classic pcap as the input stores it.
struct StoredRecord {
  uint64_t offset = 0;               // of its record header, from the first byte of the input
  uint64_t size = 0;                 // the record header and the captured bytes, as stored
  std::array<uint8_t, 16> header{};  // the record header's bytes, in the file's byte order
};

// What a read gave: a record; none yet (a live capture's quiet link: no packet came within its
// wait); or the end of the capture. Files never read `quiet`.
enum class ReadStatus { record, quiet, end };

// True when the first bytes of an input are a pcap or pcapng magic number.
bool looks_like_capture(std::span<const uint8_t> head);

class CaptureReader {
 public:
  explicit CaptureReader(const std::string& path);
  // Reads from an input already opened (and perhaps sniffed with looks_like_capture()).
  explicit CaptureReader(std::unique_ptr<InputStream> input);
  // Captures on an interface (live_capture.h says how it fails).
  explicit CaptureReader(const LiveCaptureOptions& live);
  ~CaptureReader();
  CaptureReader(const CaptureReader&) = delete;
  CaptureReader& operator=(const CaptureReader&) = delete;

  const CaptureInfo& info() const { return info_; }

  // Reads the next record into `packet`. Returns false at the end of the capture.
  bool next(RawPacket& packet);
  // The same, or `quiet` when a live capture had no packet within its wait.
  ReadStatus read(RawPacket& packet);
  bool live() const { return live_; }
  // libpcap's counters so far, for a live capture; none for a file.
  std::optional<LiveCounters> live_counters() const;

  // Where the record next() returned last lies in the input: for a classic pcap with 16-byte
  // record headers (not pcapng, not the 24-byte "modified" format) that is not compressed;
  // nullptr otherwise, or before the first record. The offset counts from the input's first
  // byte: for a file opened by path it is the file offset. The record's bytes in the file are
  // its header, then the bytes next() returned, unless libpcap changed the record as it read
  // it (a captured length beyond the snap length, a byte-swapped file): compare the header.
  const StoredRecord* stored() const;

  uint64_t packets_read() const { return packets_read_; }
  // CaptureStop::none when the capture ended cleanly; otherwise why it ended early.
  const StopReason& stop() const;

 private:
  CaptureInfo info_;
  std::unique_ptr<RecordSource> records_;
  uint64_t packets_read_ = 0;
  bool live_ = false;
};

}  // namespace botd
