// Private to the capture module: the ways CaptureReader gets records — libpcap for pcap
// files, botd's own pcapng block reader (pcapng_reader.cc), and libpcap on a network interface
// (live_capture.cc). They end at the first record they cannot read whole and say why in
// stop(); only the live one ever reads ReadStatus::quiet.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "capture/capture_reader.h"
#include "capture/live_capture.h"
#include "io/input_stream.h"

namespace botd {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  virtual ReadStatus read(RawPacket& packet) = 0;
  // Where the last record lies in the input, when the source knows (CaptureReader::stored()).
  virtual const StoredRecord* stored() const { return nullptr; }
  // A live capture's libpcap counters so far; none for a file.
  virtual std::optional<LiveCounters> live_counters() const { return std::nullopt; }
  const StopReason& stop() const { return stop_; }
  bool stopped() const { return stop_.reason != CaptureStop::none; }

 protected:
  StopReason stop_;
};

// Opens a classic pcap stream with libpcap; fills info's link type and snap length.
std::unique_ptr<RecordSource> open_pcap_records(std::unique_ptr<InputStream> input, CaptureInfo& info);

// Reads pcapng blocks up to the first interface; fills info's link type, snap length and precision.
std::unique_ptr<RecordSource> open_pcapng_records(std::unique_ptr<InputStream> input, CaptureInfo& info);

// Opens and activates a network interface (live_capture.h); fills info's name (the
// interface), link type, snap length and precision. Throws Error when it cannot.
std::unique_ptr<RecordSource> open_live_records(const LiveCaptureOptions& options, CaptureInfo& info);

}  // namespace botd
