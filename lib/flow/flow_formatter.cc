#include "flow/flow_formatter.h"

#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/net_address.h"
#include "flow/protocol_names.h"

namespace botd {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One printed side of the record, before ra's corrections swap them: which end of the key it
// is, and what was counted of it.
struct PrintedSide {
  bool is_b;  // the key's end b, else end a
  const SideCounters* counters;
  const ExtendedSide* extended;
  uint8_t tcp_flags;
  uint32_t retransmissions;
};

// A short text (a port, a TCP state) made in place, then assigned to the record's field once:
// temporaries and moves of text cost a call to memmove each, several per field.
class TextBuffer {
 public:
  void put(char c) { chars_[size_++] = c; }
  template <typename Number>
  void put_decimal(Number number) {
    size_ = size_t(std::to_chars(chars_ + size_, chars_ + sizeof chars_, number).ptr - chars_);
  }
  template <typename... Args>
  void put_format(fmt::format_string<Args...> format, Args&&... args) {
    size_ = size_t(fmt::format_to_n(chars_ + size_, sizeof chars_ - size_, format, std::forward<Args>(args)...).out -
                   chars_);
  }
  std::string_view view() const { return {chars_, size_}; }

 private:
  char chars_[24];  // the longest: a TCP state of all eight flags both ways, 17
  size_t size_ = 0;
};

// An end of the key as text into `text`, and (unless it is a MAC address) as numbers into `ip`.
void put_address(const std::array<uint8_t, 16>& bytes, FlowKind kind, SmallString& text,
                 std::optional<IpAddress>& ip) {
  if (kind == FlowKind::mac) {
    MacAddress mac;
    std::copy(bytes.begin(), bytes.begin() + 6, mac.bytes.begin());
    text = mac.to_string();
    return;
  }
  ip = IpAddress::from_v6(bytes.data());
  char chars[IpAddress::kMaxText];
  text = std::string_view(chars, ip->to_chars(chars));
}

// The Sport or Dport text of the key's end a, or of end b.
TextBuffer port_text(const FlowKey& key, bool end_b) {
  const uint16_t port = end_b ? key.port_b : key.port_a;
  TextBuffer text;
  switch (key.kind) {
    case FlowKind::icmp: text.put_format("0x{:04x}", port); break;
    case FlowKind::icmpv6:
    case FlowKind::mac: text.put_decimal(port); break;
    case FlowKind::esp:
      if (end_b) text.put_format("0x2020{:04x}", key.detail & 0xffff);
      break;
    case FlowKind::arp:
    case FlowKind::igmp: break;
    case FlowKind::ip:
    case FlowKind::fragment:
      if (key.protocol == ip_protocol::tcp || key.protocol == ip_protocol::udp) text.put_decimal(port);
      break;
  }
  return text;
}

bool is_icmp_reply(uint8_t type) { return type == 0 || type == 14 || type == 16 || type == 18; }

// ra reverses a TCP record that opened with a SYN-ACK and then went on (ARGUS-NOTES §3.2).
bool tcp_should_reverse(const TcpTracker& tcp, const PrintedSide& src, const PrintedSide& dst) {
  const uint16_t status = tcp.status();
  if (!(status & tcp_status::saw_syn_ack) || (status & tcp_status::saw_syn)) return false;
  if (status & (tcp_status::established | tcp_status::fin | tcp_status::fin_acked | tcp_status::normal_close))
    return true;
  if ((src.tcp_flags & tcp_flag::syn) && !(dst.tcp_flags & tcp_flag::rst) && src.counters->packets > 5 &&
      dst.counters->packets > 5)
    return true;
  const uint8_t syn_fin = tcp_flag::syn | tcp_flag::fin;
  return dst.counters->packets == 0 && (src.tcp_flags & syn_fin) == syn_fin && src.counters->packets > 0 &&
         src.counters->bytes / src.counters->packets > 60;
}

void put_tcp_flag_letters(uint8_t flags, TextBuffer& text) {
  static constexpr char kLetters[] = "FSRPAUEC";  // bit 0 (FIN) to bit 7 (CWR)
  for (int bit = 0; bit < 8; ++bit)
    if (flags & (1 << bit)) text.put(kLetters[bit]);
}

TextBuffer tcp_state(const PrintedSide& src, const PrintedSide& dst) {
  uint8_t first = src.tcp_flags, second = dst.tcp_flags;
  // ra swaps the strings when a side has flags but no packets.
  if ((src.tcp_flags && !src.counters->packets) || (dst.tcp_flags && !dst.counters->packets)) std::swap(first, second);
  TextBuffer state;
  put_tcp_flag_letters(first, state);
  state.put('_');
  put_tcp_flag_letters(second, state);
  return state;
}

std::string_view one_way_state(uint32_t src_packets, uint32_t dst_packets, bool continuation) {
  if (src_packets && dst_packets) return "CON";
  if (src_packets) return continuation ? "REQ" : "INT";
  return "RSP";
}

// The 3-character Dir token ("<->", with '?' for TCP and a space for a side without packets),
// trimmed (ARGUS-NOTES §4).
std::string_view direction(uint32_t src_packets, uint32_t dst_packets, bool tcp, bool syn_seen) {
  if (tcp && syn_seen) return "->";
  if (src_packets && dst_packets) return tcp ? "<?>" : "<->";
  if (src_packets) return tcp ? "?>" : "->";
  if (dst_packets) return tcp ? "<?" : "<-";
  return "";
}

// argus prints durations and rates through single-precision floats.
double as_float(double value) { return double(float(value)); }

double seconds_between(int64_t from_us, int64_t to_us) {
  const int64_t span = to_us - from_us;
  return as_float(double(span / 1'000'000) + double(span % 1'000'000) / 1e6);
}

// Population standard deviation of one class of gaps, in microseconds. Like ra, no guard
// against a slightly negative variance from rounding: ra then prints "-nan", botd NaN.
double gap_deviation(const GapStats& gaps) {
  const double mean = double(gaps.sum_us / float(gaps.count));
  const double mean_of_squares = std::floor(gaps.sum_squares / gaps.count);
  return std::sqrt(mean_of_squares - mean * mean);
}

void set_gap_fields(FlowRecord& record, const ExtendedSide& side, bool is_src, bool any_gaps_anywhere) {
  const GapStats &active = side.active, &idle = side.idle;
  const uint32_t count = active.count + idle.count;
  auto mean_ms = [](const GapStats& gaps) {
    return gaps.count ? as_float(double(gaps.sum_us / float(gaps.count)) / 1000.0) : 0.0;
  };
  const ExtendedField intpkt = is_src ? ExtendedField::SIntPkt : ExtendedField::DIntPkt;
  const ExtendedField act = is_src ? ExtendedField::SIntPktAct : ExtendedField::DIntPktAct;
  const ExtendedField idl = is_src ? ExtendedField::SIntPktIdl : ExtendedField::DIntPktIdl;
  const ExtendedField jitter = is_src ? ExtendedField::SrcJitter : ExtendedField::DstJitter;
  const ExtendedField jit_act = is_src ? ExtendedField::SrcJitAct : ExtendedField::DstJitAct;
  if (!any_gaps_anywhere) return;
  record.set(act, mean_ms(active));
  record.set(idl, mean_ms(idle));
  if (count)
    record.set(intpkt, as_float(double((active.sum_us + idle.sum_us) / float(count)) / 1000.0));
  else if (is_src)
    record.set(intpkt, 0.0);
  if (active.count) record.set(jit_act, gap_deviation(active) / 1000.0);
  if (active.count && idle.count) {
    // ra's formula for both classes mixes units (ARGUS-NOTES §10); kept as it is.
    const double mean = double((active.sum_us + idle.sum_us) / float(count));
    auto second_moment = [](const GapStats& gaps) {
      const double m = double(gaps.sum_us / float(gaps.count));
      const double d = gap_deviation(gaps);
      return gaps.count * (d * d + m * m);
    };
    const double value = (second_moment(active) + second_moment(idle)) / 1000.0 / count - (mean / 1000.0) * (mean / 1000.0);
    record.set(jitter, std::sqrt(value));
  } else if (active.count || idle.count) {
    record.set(jitter, gap_deviation(active.count ? active : idle) / 1000.0);
  }
}

double side_duration(const SideCounters& side, double whole) {
  const double span = side.packets ? seconds_between(side.first_us, side.last_us) : 0;
  return span > 0 ? span : whole;
}

float load(const SideCounters& side, double duration) {
  if (side.packets <= 1 || duration <= 0) return 0;
  return float(double(side.bytes - side.bytes / side.packets) * 8.0 / duration);
}

float rate(uint64_t packets, double duration) {
  if (packets <= 1 || duration <= 0) return 0;
  return float(double(packets - 1) / duration);
}

void set_extended(FlowRecord& record, const FlowState& flow, const PrintedSide& src, const PrintedSide& dst,
                  bool tcp, double dur) {
  const SideCounters &s = *src.counters, &d = *dst.counters;
  const bool ip = flow.key.kind != FlowKind::arp && flow.key.kind != FlowKind::mac;
  if (ip && s.has_attributes) record.set(ExtendedField::sTtl, s.ttl);
  if (ip && d.has_attributes) record.set(ExtendedField::dTtl, d.ttl);
  record.set(ExtendedField::SrcPkts, s.packets);
  record.set(ExtendedField::DstPkts, d.packets);
  record.set(ExtendedField::DstBytes, double(d.bytes));
  const double sdur = side_duration(s, dur), ddur = side_duration(d, dur);
  const float src_load = load(s, sdur), dst_load = load(d, ddur);
  record.set(ExtendedField::SrcLoad, src_load);
  record.set(ExtendedField::DstLoad, dst_load);
  if (src.extended) {
    const bool gaps_possible = s.packets >= 2 || d.packets >= 2;
    set_gap_fields(record, *src.extended, true, gaps_possible);
    set_gap_fields(record, *dst.extended, false, gaps_possible);
    if (s.packets) {
      record.set(ExtendedField::sMaxPktSz, src.extended->max_size);
      record.set(ExtendedField::sMinPktSz, src.extended->min_size);
    }
    if (d.packets) {
      record.set(ExtendedField::dMaxPktSz, dst.extended->max_size);
      record.set(ExtendedField::dMinPktSz, dst.extended->min_size);
    }
  }
  record.set(ExtendedField::Rate, rate(uint64_t(s.packets) + d.packets, dur));
  record.set(ExtendedField::SrcRate, rate(s.packets, sdur));
  record.set(ExtendedField::DstRate, rate(d.packets, ddur));
  for (ExtendedField same_as_dur : {ExtendedField::RunTime, ExtendedField::Mean, ExtendedField::Sum,
                                    ExtendedField::Min, ExtendedField::Max})
    record.set(same_as_dur, dur);
  record.set(ExtendedField::Load, dur > 0 ? double(float((src_load * sdur + dst_load * ddur) / dur)) : 0.0);
  auto loss = [tcp](const PrintedSide& side) {
    const double retrans = tcp ? side.retransmissions : 0;
    return side.counters->packets + retrans > 0 ? 100.0 * retrans / (side.counters->packets + retrans) : 0.0;
  };
  record.set(ExtendedField::pSrcLoss, loss(src));
  record.set(ExtendedField::pDstLoss, loss(dst));
}

std::string protocol_text(const FlowState& flow, uint32_t src_packets, uint32_t dst_packets) {
  const FlowKey& key = flow.key;
  switch (key.kind) {
    case FlowKind::arp: return "arp";
    case FlowKind::mac: return ethertype_name(key.ethertype);
    default: break;
  }
  if (flow.application == UdpApplication::rtcp) return "rtcp";
  if (flow.application == UdpApplication::rtp && (src_packets >= 5 || dst_packets >= 5)) return "rtp";
  return std::string(ip_protocol_name(key.protocol));
}

}  // namespace

FlowRecord format_flow(const FlowState& flow, const TcpTracker* tcp, const ExtendedCounters* extended) {
  const FlowKey& key = flow.key;
  // Side 0 is the flow's source: the key's end b when it prints b first.
  PrintedSide src{flow.print_b_first, &flow.side[0], nullptr, 0, 0};
  PrintedSide dst{!flow.print_b_first, &flow.side[1], nullptr, 0, 0};
  for (int side = 0; side < 2; ++side) {
    PrintedSide& printed = side == 0 ? src : dst;
    printed.extended = extended ? &extended->side[side] : nullptr;
    printed.tcp_flags = tcp ? tcp->flags(side) : 0;
    printed.retransmissions = tcp ? tcp->retransmissions(side) : 0;
  }

  uint8_t icmp_type = flow.icmp_type;
  const bool reply_only = key.kind == FlowKind::icmp && is_icmp_reply(flow.icmp_type);
  // ra applies its SYN-ACK reversal to IPv4 only (observed on IPv6 captures and experiments).
  if ((tcp && key.is_ipv4() && tcp_should_reverse(*tcp, src, dst)) || reply_only) std::swap(src, dst);
  // ICMP's type/code and id slot, and ESP's SPI, are not ports of one end or the other: Sport
  // is end a's, Dport end b's, whichever prints first.
  const bool fixed_ports = key.kind == FlowKind::icmp || key.kind == FlowKind::icmpv6 || key.kind == FlowKind::esp;
  TextBuffer sport = port_text(key, !fixed_ports && src.is_b);
  if (reply_only) {
    sport = TextBuffer();
    sport.put_format("0x{:04x}", uint16_t(flow.icmp_code << 8 | icmp_type));
  }
  const TextBuffer dport = port_text(key, fixed_ports || dst.is_b);

  const SideCounters &s = *src.counters, &d = *dst.counters;
  FlowRecord record;
  record.start_ns = flow.start_us() * 1000;
  const double dur = seconds_between(flow.start_us(), flow.last_us());
  record.duration_s = dur;
  record.proto = protocol_text(flow, s.packets, d.packets);
  put_address(src.is_b ? key.b : key.a, key.kind, record.src_addr, record.src_ip);
  record.sport = sport.view();
  put_address(dst.is_b ? key.b : key.a, key.kind, record.dst_addr, record.dst_ip);
  record.dport = dport.view();
  const bool is_tcp = tcp != nullptr;
  record.dir = key.kind == FlowKind::arp ? "who" : direction(s.packets, d.packets, is_tcp, is_tcp && tcp->saw_syn());
  switch (key.kind) {
    case FlowKind::icmp: record.state = icmp_state_name(icmp_type, flow.icmp_code); break;
    case FlowKind::icmpv6: record.state = icmpv6_state_name(uint8_t(key.port_a), uint8_t(key.port_b)); break;
    case FlowKind::arp: record.state = one_way_state(s.packets, d.packets, false); break;
    default:
      record.state = is_tcp ? tcp_state(src, dst).view() : one_way_state(s.packets, d.packets, flow.continuation);
  }
  const bool ip = key.kind != FlowKind::arp && key.kind != FlowKind::mac;
  if (ip && s.has_attributes) record.stos = s.tos;
  if (ip && d.has_attributes) record.dtos = d.tos;
  record.total_packets = uint64_t(s.packets) + d.packets;
  record.total_bytes = s.bytes + d.bytes;
  record.src_bytes = s.bytes;
  if (extended) set_extended(record, flow, src, dst, is_tcp, dur);

  if (*record.total_packets > 1000 && dur == 0) {  // ra's ERR rule (ARGUS-NOTES §7)
    record.state = "ERR";
    record.dir.clear();
    record.total_packets = record.total_bytes = record.src_bytes = 0;
  }
  return record;
}

}  // namespace botd
