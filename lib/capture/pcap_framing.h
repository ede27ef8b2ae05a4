// Private to the capture module: PcapFraming follows a classic pcap byte stream as it is read,
// piece by piece, and notes where each record lies (CaptureReader::stored()).
//
// It reads the framing as libpcap does: a 24-byte file header, then records of a 16-byte
// header and as many bytes as the header's captured length. Fed the bytes libpcap reads, in
// order, it notes the records libpcap returns, in the same order, for as long as libpcap reads
// on (libpcap stops at a captured length it finds impossible; the framing goes on, unread).
// The 24-byte record headers of the "modified" pcap format are not followed: do not use it
// for those. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>

#include "capture/capture_reader.h"

namespace botd {

class PcapFraming {
 public:
  // `big_endian`: the byte order of the file's headers, from its magic number.
  explicit PcapFraming(bool big_endian) : big_endian_(big_endian) {}

  // The next bytes of the stream, from its first byte on.
  void consume(std::span<const uint8_t> bytes);
  // Takes the first record not taken yet. Returns false when no further record header has
  // been read whole.
  bool pop(StoredRecord& record);

 private:
  static constexpr uint64_t kFileHeaderBytes = 24;
  static constexpr size_t kRecordHeaderBytes = 16;

  bool big_endian_;
  uint64_t offset_ = 0;                // of the next byte consume() sees
  uint64_t skip_ = kFileHeaderBytes;   // bytes to pass over before the next record header
  StoredRecord pending_;               // the record whose header is being read
  size_t header_filled_ = 0;
  std::deque<StoredRecord> records_;   // read ahead of the records libpcap returned
};

}  // namespace botd
