#include "features/flow_facts.h"

#include <charconv>

#include "capture/packet.h"

namespace botd {
namespace {

FlowFacts::Proto proto_of(std::string_view proto) {
  using P = FlowFacts::Proto;
  if (proto == "tcp") return P::tcp;
  if (proto == "udp" || proto == "rtp" || proto == "rtcp") return P::udp;  // argus's RTP guess says nothing
  if (proto == "icmp") return P::icmp;
  if (proto == "ipv6-icmp") return P::icmpv6;
  if (proto == "arp") return P::arp;
  if (proto == "igmp") return P::igmp;
  return P::other;
}

uint8_t tcp_flags_of(std::string_view letters) {
  uint8_t flags = 0;
  for (char c : letters) {
    switch (c) {
      case 'F': flags |= tcp_flag::fin; break;
      case 'S': flags |= tcp_flag::syn; break;
      case 'R': flags |= tcp_flag::rst; break;
      case 'P': flags |= tcp_flag::psh; break;
      case 'A': flags |= tcp_flag::ack; break;
      case 'U': flags |= tcp_flag::urg; break;
      case 'E': flags |= tcp_flag::ece; break;
      case 'C': flags |= tcp_flag::cwr; break;
      default: break;
    }
  }
  return flags;
}

}  // namespace

float port_number_of(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc{} || end != text.data() + text.size()) return FlowFacts::kNone;
  return float(value);
}

FlowFacts facts_of(const FlowRecord& flow) {
  FlowFacts facts;
  facts.proto = proto_of(flow.proto);
  using P = FlowFacts::Proto;
  if (facts.proto == P::tcp || facts.proto == P::udp) {
    facts.sport = port_number_of(flow.sport);
    facts.dport = port_number_of(flow.dport);
  }
  if (facts.proto == P::icmp) {  // Sport is 0x<code><type>
    const float type_and_code = port_number_of(flow.sport);
    if (!std::isnan(type_and_code)) {
      facts.icmp_type = float(unsigned(type_and_code) & 0xff);
      facts.icmp_code = float(unsigned(type_and_code) >> 8);
    }
  } else if (facts.proto == P::icmpv6) {
    facts.icmp_type = port_number_of(flow.sport);
    facts.icmp_code = port_number_of(flow.dport);
  }
  if (facts.proto == P::tcp) {
    const size_t underscore = flow.state.find('_');
    if (underscore != std::string::npos) {
      facts.src_flags = tcp_flags_of(std::string_view(flow.state).substr(0, underscore));
      facts.dst_flags = tcp_flags_of(std::string_view(flow.state).substr(underscore + 1));
    }
    facts.answered = facts.dst_flags != 0;
    const bool refused = facts.dst_flags & tcp_flag::rst;
    const bool unanswered_syn = (facts.src_flags & tcp_flag::syn) && !(facts.dst_flags & tcp_flag::syn);
    facts.failed = !facts.answered || refused || unanswered_syn;
  } else {
    const std::string_view state = flow.state;  // compared with literals inline, without memcmp
    facts.answered = flow.dir.find('<') != std::string::npos || state == "CON";
    facts.failed = !facts.answered || state.starts_with("UR");
  }
  return facts;
}


}  // namespace botd
