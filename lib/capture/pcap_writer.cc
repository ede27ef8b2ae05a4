#include "capture/pcap_writer.h"

#include <pcap/pcap.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace botd {
namespace {

constexpr size_t kStreamBuffer = 1 << 20;

// libpcap's header for `packet`, its time split into seconds and the file's fraction.
pcap_pkthdr packet_header(const RawPacket& packet, TimestampPrecision precision) {
  pcap_pkthdr header{};
  const int64_t divisor = precision == TimestampPrecision::nano ? 1 : 1000;
  int64_t seconds = packet.time_ns / 1'000'000'000, fraction = packet.time_ns % 1'000'000'000;
  if (fraction < 0) {
    fraction += 1'000'000'000;
    --seconds;
  }
  header.ts.tv_sec = seconds;
  header.ts.tv_usec = suseconds_t(fraction / divisor);
  header.caplen = uint32_t(packet.bytes.size());
  header.len = packet.wire_len;
  return header;
}

u_int libpcap_precision(TimestampPrecision precision) {
  return precision == TimestampPrecision::nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO;
}

}  // namespace

std::array<uint8_t, 24> pcap_file_header(int link_type, uint32_t snaplen, TimestampPrecision precision) {
  // What pcap_dump_fopen() writes, taken from libpcap itself through a stream in memory.
  std::array<uint8_t, 24> header{};
  pcap_t* dead = pcap_open_dead_with_tstamp_precision(link_type, int(snaplen), libpcap_precision(precision));
  if (dead == nullptr) fail("cannot create a pcap writer");
  char* data = nullptr;
  size_t size = 0;
  FILE* memory = open_memstream(&data, &size);
  pcap_dumper_t* dumper = memory != nullptr ? pcap_dump_fopen(dead, memory) : nullptr;
  if (dumper != nullptr) pcap_dump_close(dumper);  // closes `memory`: data and size are final
  else if (memory != nullptr) std::fclose(memory);
  pcap_close(dead);
  const bool whole = dumper != nullptr && size == header.size();
  if (whole) std::memcpy(header.data(), data, header.size());
  std::free(data);
  if (!whole) fail("cannot make a pcap file header");
  return header;
}

std::array<uint8_t, 16> pcap_record_header(const RawPacket& packet, TimestampPrecision precision) {
  // As pcap_dump() writes struct pcap_sf_pkthdr: 32-bit seconds and fraction, caplen, len,
  // in host byte order.
  const pcap_pkthdr header = packet_header(packet, precision);
  const int32_t fields[4] = {int32_t(header.ts.tv_sec), int32_t(header.ts.tv_usec), int32_t(header.caplen),
                             int32_t(header.len)};
  std::array<uint8_t, 16> bytes;
  std::memcpy(bytes.data(), fields, bytes.size());
  return bytes;
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
  handles_->dead = pcap_open_dead_with_tstamp_precision(link_type, int(snaplen), libpcap_precision(precision));
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
  const pcap_pkthdr header = packet_header(packet, precision_);
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
