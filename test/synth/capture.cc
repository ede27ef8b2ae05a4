// capture.cc — packet store, time ordering, IPv4 id stamping and pcap output via libpcap.
#include "capture.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "packet_builder.h"
#include "rng.h"

namespace synth {
namespace {

constexpr size_t kIpOffset = kEthernetHeaderSize;
constexpr size_t kIcmpOffset = kIpOffset + kIpv4HeaderSize;
constexpr size_t kQuotedIpOffset = kIcmpOffset + 8;

bool is_ipv4(std::span<const uint8_t> frame) {
  return frame.size() >= kIpOffset + kIpv4HeaderSize && frame[12] == 0x08 && frame[13] == 0x00;
}

}  // namespace

Capture::Capture(Micros start, Micros end, uint64_t seed) : start_(start), end_(end), seed_(seed) {}

Capture::RecordId Capture::add(Micros time, const Bytes& frame) { return add_icmp_error(time, frame, kDropped); }

Capture::RecordId Capture::add_icmp_error(Micros time, const Bytes& frame, RecordId quoted) {
  if (time < start_ || time >= end_) return kDropped;
  records_.push_back({time, data_.size(), static_cast<uint32_t>(frame.size()), quoted});
  data_.insert(data_.end(), frame.begin(), frame.end());
  return static_cast<RecordId>(records_.size() - 1);
}

std::span<const uint8_t> Capture::frame(RecordId id) const {
  const Record& r = records_[id];
  return {data_.data() + r.offset, r.length};
}

std::span<uint8_t> Capture::mutable_frame(RecordId id) {
  const Record& r = records_[id];
  return {data_.data() + r.offset, r.length};
}

void Capture::finalize() {
  order_.resize(records_.size());
  for (RecordId i = 0; i < order_.size(); ++i) order_[i] = i;
  std::sort(order_.begin(), order_.end(), [this](RecordId a, RecordId b) {
    if (records_[a].time != records_[b].time) return records_[a].time < records_[b].time;
    return a < b;
  });
  stamp_ip_ids();
}

// Gives every IPv4 packet an identification from a per-source-address counter that
// increases in time order, starting at a seed-dependent value per address.
void Capture::stamp_ip_ids() {
  std::unordered_map<Ipv4, uint16_t> next_id;
  std::vector<uint16_t> stamped(records_.size(), 0);
  for (RecordId id : order_) {
    std::span<uint8_t> f = mutable_frame(id);
    if (!is_ipv4(f)) continue;
    uint8_t* ip = f.data() + kIpOffset;
    const Ipv4 src = get32(ip + 12);
    auto [it, inserted] = next_id.try_emplace(src, static_cast<uint16_t>(mix64(seed_, src)));
    const uint16_t ip_id = it->second++;
    put16(ip + 4, ip_id);
    refresh_ipv4_checksum(ip);
    stamped[id] = ip_id;

    const RecordId quoted = records_[id].quoted;
    if (quoted == kDropped) continue;
    uint8_t* inner = f.data() + kQuotedIpOffset;
    put16(inner + 4, stamped[quoted]);
    refresh_ipv4_checksum(inner);
    uint8_t* icmp = f.data() + kIcmpOffset;
    const size_t icmp_length = get16(ip + 2) - kIpv4HeaderSize;
    put16(icmp + 2, 0);
    put16(icmp + 2, internet_checksum({icmp, icmp_length}));
  }
}

void Capture::write_pcap(const std::string& path) const {
  std::unique_ptr<pcap_t, decltype(&pcap_close)> dead(
      pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_MICRO), &pcap_close);
  if (!dead) throw std::runtime_error("pcap_open_dead failed");
  pcap_dumper_t* dumper = pcap_dump_open(dead.get(), path.c_str());
  if (!dumper) throw std::runtime_error(pcap_geterr(dead.get()));  // names the file and the reason
  for (RecordId id : order_) {
    const Record& r = records_[id];
    pcap_pkthdr header{};
    header.ts.tv_sec = static_cast<time_t>(r.time / kSecond);
    header.ts.tv_usec = static_cast<suseconds_t>(r.time % kSecond);
    header.caplen = r.length;
    header.len = r.length;
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, data_.data() + r.offset);
  }
  const bool flushed = pcap_dump_flush(dumper) == 0 && !std::ferror(pcap_dump_file(dumper));
  pcap_dump_close(dumper);
  if (!flushed) throw std::runtime_error("error writing " + path);
}

}  // namespace synth
