#include "flow/zeek_conn_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

#include "core/net_address.h"
#include "io/row_writer.h"

namespace botd {
namespace {

constexpr uint64_t kEthernetHeaderBytes = 14;

struct Column {
  std::string_view name, type;
};
constexpr std::array<Column, 21> kColumns = {{
    {"ts", "time"},          {"uid", "string"},         {"id.orig_h", "addr"},     {"id.orig_p", "port"},
    {"id.resp_h", "addr"},   {"id.resp_p", "port"},     {"proto", "enum"},         {"service", "string"},
    {"duration", "interval"}, {"orig_bytes", "count"},   {"resp_bytes", "count"},   {"conn_state", "string"},
    {"local_orig", "bool"},  {"local_resp", "bool"},    {"missed_bytes", "count"}, {"history", "string"},
    {"orig_pkts", "count"},  {"orig_ip_bytes", "count"}, {"resp_pkts", "count"},   {"resp_ip_bytes", "count"},
    {"tunnel_parents", "set[string]"},
}};

// TCP flags of one side, from argus's State ("FSPA_SA"): side 0 before '_', side 1 after.
struct Flags {
  bool syn = false, ack = false, psh = false, fin = false, rst = false;
};
Flags flags_of(std::string_view letters) {
  Flags flags;
  for (char c : letters) {
    flags.syn |= c == 'S';
    flags.ack |= c == 'A';
    flags.psh |= c == 'P';
    flags.fin |= c == 'F';
    flags.rst |= c == 'R';
  }
  return flags;
}

std::string_view tcp_conn_state(const Flags& orig, const Flags& resp) {
  if (!orig.syn) return "OTH";
  if (!resp.syn && !resp.ack && !resp.psh && !resp.fin && !resp.rst) return "S0";
  if (!resp.syn && resp.rst) return "REJ";
  if (orig.rst) return "RSTO";
  if (resp.rst) return "RSTR";
  if (orig.fin && resp.fin) return "SF";
  if (orig.fin) return "S2";
  if (resp.fin) return "S3";
  return "S1";
}

std::string tcp_history(const Flags& orig, const Flags& resp) {
  std::string history;
  if (orig.syn) history += 'S';
  if (resp.syn) history += 'h';  // a SYN-ACK
  if (orig.ack) history += 'A';
  if (orig.psh) history += 'D';
  // Zeek's `a` is a pure ACK: a refusal's RST-ACK is `r` alone.
  const bool ack_only_with_rst = resp.rst && !resp.syn && !resp.psh && !resp.fin;
  if (resp.ack && !resp.syn && !ack_only_with_rst) history += 'a';
  if (resp.psh) history += 'd';
  if (orig.fin) history += 'F';
  if (resp.fin) history += 'f';
  if (orig.rst) history += 'R';
  if (resp.rst) history += 'r';
  return history;
}

// Zeek-like uid: "C" and 17 characters of [0-9A-Za-z] from a hash of the flow's identity.
std::string uid_of(const FlowRecord& flow) {
  static constexpr std::string_view kDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  uint64_t h = 0xcbf29ce484222325ull ^ uint64_t(flow.start_ns);
  for (const SmallString* text : {&flow.proto, &flow.src_addr, &flow.sport, &flow.dst_addr, &flow.dport})
    for (char c : *text) h = (h ^ uint8_t(c)) * 0x100000001b3ull;
  std::string uid = "C";
  for (int i = 0; i < 17; ++i) {
    h = h * 6364136223846793005ull + 1442695040888963407ull;
    uid += kDigits[(h >> 33) % kDigits.size()];
  }
  return uid;
}

// "80" -> 80, "0x0803" -> 2051; nullopt for anything else.
std::optional<uint64_t> number_of(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<uint64_t> extended_count(const FlowRecord& flow, ExtendedField field) {
  const double value = flow.get(field);
  if (std::isnan(value) || value < 0) return std::nullopt;
  return uint64_t(value);
}

// IP-level bytes of `packets` frames of `bytes` (argus's Ethernet frames).
void ip_bytes_cell(std::optional<uint64_t> bytes, std::optional<uint64_t> packets, CellWriter& cell) {
  if (!bytes) return cell.empty();
  const uint64_t headers = packets.value_or(0) * kEthernetHeaderBytes;
  cell.count(*bytes > headers ? *bytes - headers : 0);
}

void count_or_unset(std::optional<uint64_t> value, CellWriter& cell) {
  if (value) cell.count(*value);
  else cell.empty();
}

class ZeekConnWriter : public FlowSink {
 public:
  ZeekConnWriter(OutputFile& out, uint64_t& skipped) : skipped_(skipped) {
    std::vector<std::string> names, types;
    for (const Column& column : kColumns) {
      names.emplace_back(column.name);
      types.emplace_back(column.type);
    }
    rows_ = make_zeek_log_writer(out, "conn", std::move(names), types);
  }

  void write(const FlowRecord& flow) override {
    const bool tcp = flow.proto == "tcp", udp = flow.proto == "udp", icmp = flow.proto == "icmp",
               icmpv6 = flow.proto == "ipv6-icmp";
    if (flow.proto == "arp" || flow.proto == "rarp" || !IpAddress::parse(flow.src_addr) ||
        !IpAddress::parse(flow.dst_addr)) {
      ++skipped_;  // ARP and MAC flows: not IP connections
      return;
    }
    CellWriter& cell = *rows_;
    cell.time(flow.start_ns, TimeForm::epoch);
    cell.text(uid_of(flow));
    cell.text(flow.src_addr);
    ports(flow, tcp || udp, icmp, icmpv6);
    cell.text(tcp || udp || icmp ? std::string_view(flow.proto) : icmpv6 ? "icmp" : "unknown_transport");
    cell.empty();  // service
    // Zeek leaves out a duration of 0 (one packet), as readers of its logs expect.
    if (flow.duration_s && *flow.duration_s > 0) cell.real(*flow.duration_s, 6);
    else cell.empty();
    cell.empty();  // orig_bytes
    cell.empty();  // resp_bytes
    const size_t underscore = flow.state.find('_');
    const Flags orig = flags_of(std::string_view(flow.state).substr(0, underscore));
    const Flags resp = underscore == std::string::npos ? Flags{} : flags_of(std::string_view(flow.state).substr(underscore + 1));
    std::optional<uint64_t> orig_pkts = extended_count(flow, ExtendedField::SrcPkts);
    std::optional<uint64_t> resp_pkts = extended_count(flow, ExtendedField::DstPkts);
    if (!orig_pkts) orig_pkts = flow.total_packets;
    const bool answered = resp_pkts ? *resp_pkts > 0 : flow.state == "CON" || flow.dir.find('<') != std::string::npos;
    cell.text(tcp ? tcp_conn_state(orig, resp) : icmp || icmpv6 ? "OTH" : answered ? "SF" : "S0");
    cell.empty();  // local_orig
    cell.empty();  // local_resp
    cell.count(0);               // missed_bytes
    if (tcp) cell.text(tcp_history(orig, resp));
    else if (udp) cell.text(answered ? "Dd" : "D");
    else cell.empty();  // Zeek keeps no history for ICMP
    count_or_unset(orig_pkts, cell);
    ip_bytes_cell(flow.src_bytes, orig_pkts, cell);
    count_or_unset(resp_pkts, cell);
    std::optional<uint64_t> dst_bytes;
    if (flow.total_bytes && flow.src_bytes && *flow.total_bytes >= *flow.src_bytes)
      dst_bytes = *flow.total_bytes - *flow.src_bytes;
    ip_bytes_cell(dst_bytes, resp_pkts, cell);
    cell.empty();  // tunnel_parents
    rows_->end_row();
  }

  void finish() override { rows_->finish(); }

 private:
  // id.orig_p, id.resp_h, id.resp_p.
  void ports(const FlowRecord& flow, bool numbered, bool icmp, bool icmpv6) {
    CellWriter& cell = *rows_;
    std::optional<uint64_t> orig_port, resp_port;
    if (numbered || icmpv6) {
      orig_port = number_of(flow.sport);
      resp_port = number_of(flow.dport);
    } else if (icmp) {  // argus's Sport is 0x<code><type>: Zeek keeps the type and the code
      if (const std::optional<uint64_t> type_and_code = number_of(flow.sport)) {
        orig_port = *type_and_code & 0xff;
        resp_port = *type_and_code >> 8;
      }
    } else {
      orig_port = resp_port = 0;
    }
    count_or_unset(orig_port, cell);
    cell.text(flow.dst_addr);
    count_or_unset(resp_port, cell);
  }

  uint64_t& skipped_;
  std::unique_ptr<RowWriter> rows_;
};

}  // namespace

std::unique_ptr<FlowSink> make_zeek_conn_writer(OutputFile& out, uint64_t& skipped) {
  return std::make_unique<ZeekConnWriter>(out, skipped);
}

}  // namespace botd
