#include "capture/pcap_writer.h"

#include <pcap/pcap.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace botd {
namespace {
constexpr size_t kStreamBuffer = 1 << 20;
}

struct PcapWriter::Handles {
  pcap_t* dead = nullptr;
  pcap_dumper_t* dumper = nullptr;
  ~Handles() {
    if (dumper != nullptr) pcap_dump_close(dumper);
    if (dead != nullptr) pcap_close(dead);
  }
};

PcapWriter::PcapWriter(const std::filesystem::path& path, int link_type, uint32_t snaplen,
                       TimestampPrecision precision)
    : path_(path), precision_(precision), handles_(std::make_unique<Handles>()) {
  const u_int pcap_precision =
      precision == TimestampPrecision::nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO;
  handles_->dead = pcap_open_dead_with_tstamp_precision(link_type, int(snaplen), pcap_precision);
  if (handles_->dead == nullptr) fail("{}: cannot create a pcap writer", path.string());
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) fail("{}: cannot create: {}", path.string(), std::strerror(errno));
  std::setvbuf(file, nullptr, _IOFBF, kStreamBuffer);
  handles_->dumper = pcap_dump_fopen(handles_->dead, file);
  if (handles_->dumper == nullptr) {
    std::fclose(file);
    fail("{}: cannot write: {}", path.string(), pcap_geterr(handles_->dead));
  }
}

PcapWriter::~PcapWriter() = default;

void PcapWriter::write(const RawPacket& packet) {
  pcap_pkthdr header{};
  const int64_t divisor = precision_ == TimestampPrecision::nano ? 1 : 1000;
  int64_t seconds = packet.time_ns / 1'000'000'000, fraction = packet.time_ns % 1'000'000'000;
  if (fraction < 0) {
    fraction += 1'000'000'000;
    --seconds;
  }
  header.ts.tv_sec = seconds;
  header.ts.tv_usec = suseconds_t(fraction / divisor);
  header.caplen = uint32_t(packet.bytes.size());
  header.len = packet.wire_len;
  pcap_dump(reinterpret_cast<u_char*>(handles_->dumper), &header, packet.bytes.data());
}

void PcapWriter::close() {
  FILE* file = pcap_dump_file(handles_->dumper);
  if (pcap_dump_flush(handles_->dumper) != 0 || std::ferror(file) || fdatasync(fileno(file)) != 0)
    fail("{}: write failed: {}", path_.filename().string(), std::strerror(errno));
  pcap_dump_close(handles_->dumper);
  handles_->dumper = nullptr;
}

}  // namespace botd
