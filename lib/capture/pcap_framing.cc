#include "capture/pcap_framing.h"

#include <algorithm>
#include <cstring>

#include "capture/decode_internal.h"

namespace botd {

void PcapFraming::consume(std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    if (skip_ > 0) {
      const size_t n = size_t(std::min<uint64_t>(skip_, bytes.size()));
      skip_ -= n;
      offset_ += n;
      bytes = bytes.subspan(n);
      continue;
    }
    if (header_filled_ == 0) pending_.offset = offset_;
    const size_t n = std::min(kRecordHeaderBytes - header_filled_, bytes.size());
    std::memcpy(pending_.header.data() + header_filled_, bytes.data(), n);
    header_filled_ += n;
    offset_ += n;
    bytes = bytes.subspan(n);
    if (header_filled_ < kRecordHeaderBytes) continue;
    const uint8_t* caplen = pending_.header.data() + 8;
    skip_ = big_endian_ ? decode::be32(caplen) : decode::le32(caplen);
    pending_.size = kRecordHeaderBytes + skip_;
    records_.push_back(pending_);
    header_filled_ = 0;
  }
}

bool PcapFraming::pop(StoredRecord& record) {
  if (records_.empty()) return false;
  record = records_.front();
  records_.pop_front();
  return true;
}

}  // namespace botd
