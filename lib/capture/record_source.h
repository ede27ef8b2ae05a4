// Private to the capture module: the two ways CaptureReader gets records — libpcap for pcap
// files, and botd's own pcapng block reader (pcapng_reader.cc). Both end at the first record
// they cannot read whole and say why in stop().
#pragma once

#include <memory>
#include <string>

#include "capture/capture_reader.h"
#include "io/input_stream.h"

namespace botd {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  virtual bool next(RawPacket& packet) = 0;
  // Where the last record lies in the input, when the source knows (CaptureReader::stored()).
  virtual const StoredRecord* stored() const { return nullptr; }
  const StopReason& stop() const { return stop_; }
  bool stopped() const { return stop_.reason != CaptureStop::none; }

 protected:
  StopReason stop_;
};

// Opens a classic pcap stream with libpcap; fills info's link type and snap length.
std::unique_ptr<RecordSource> open_pcap_records(std::unique_ptr<InputStream> input, CaptureInfo& info);

// Reads pcapng blocks up to the first interface; fills info's link type, snap length and precision.
std::unique_ptr<RecordSource> open_pcapng_records(std::unique_ptr<InputStream> input, CaptureInfo& info);

}  // namespace botd
