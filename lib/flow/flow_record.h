// FlowRecord: one bidirectional flow as argus's `ra` prints it (SPEC §4), the unit that the
// flow builder (from packets) and the binetflow reader (from CTU-13 / ra CSV files) both
// produce, and that writers, features and scores consume.
//
// Text fields hold exactly what ra prints (Sport "0x0008" for ICMP, "" for ARP; Dir without
// its padding: "->", "<->", "<?>", "who", ...). Numeric columns that a file may lack or that
// ra prints empty are std::nullopt (CTU-13 columns) or NaN (extended fields).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/net_address.h"
#include "core/small_string.h"

namespace botd {

// The per-direction and derived fields of `--fields extended`, in the order ra prints them.
enum class ExtendedField : uint8_t {
  sTtl, dTtl, SrcPkts, DstPkts, DstBytes, SrcLoad, DstLoad,
  SIntPkt, DIntPkt, SIntPktAct, DIntPktAct, SIntPktIdl, DIntPktIdl,
  SrcJitter, DstJitter, SrcJitAct, DstJitAct,
  sMaxPktSz, dMaxPktSz, sMinPktSz, dMinPktSz,
  Rate, SrcRate, DstRate, RunTime, Mean, Sum, Min, Max, Load, pSrcLoss, pDstLoss,
  kCount,
};
constexpr size_t kExtendedFieldCount = size_t(ExtendedField::kCount);

struct ExtendedFieldInfo {
  std::string_view name;  // ra's header name, e.g. "SIntPktAct"
  bool integer;           // printed as an integer (TTLs, packet counts, sizes); else "%.6f"
};
// Indexed by ExtendedField.
std::span<const ExtendedFieldInfo, kExtendedFieldCount> extended_field_info();
// The field with this ra header name (case-insensitive), if any.
std::optional<ExtendedField> find_extended_field(std::string_view name);

// The values of the extended fields, NaN until set. Stored only once one is set: most flows
// botd handles have none (a report's model needs none; a CTU-13 file has none), and 32
// doubles in every record were a third of its size, copied with it.
class ExtendedValues {
 public:
  double operator[](size_t i) const { return values_.empty() ? std::numeric_limits<double>::quiet_NaN() : values_[i]; }
  void set(size_t i, double value) {
    if (values_.empty()) values_.assign(kExtendedFieldCount, std::numeric_limits<double>::quiet_NaN());
    values_[i] = value;
  }
  void clear() { values_.clear(); }  // all NaN again

 private:
  std::vector<double> values_;  // empty, or kExtendedFieldCount values
};

// The DNS messages of a flow, decoded by the flow builder from packets (UDP with port 53 at
// either end; capture/dns_message.h). Flow files and Zeek's conn.log do not carry them:
// decoded() is false there, as for a DNS flow whose payload was not captured.
struct FlowDns {
  uint32_t queries = 0, responses = 0;
  uint32_t nxdomain = 0;  // responses with NXDOMAIN
  SmallString name;       // the first message's question
  bool decoded() const { return queries + responses > 0; }
};

struct FlowRecord {
  // The CTU-13 columns, in ra's order.
  int64_t start_ns = 0;                 // StartTime (argus keeps microseconds)
  std::optional<double> duration_s;     // Dur
  SmallString proto;                    // Proto: tcp, udp, icmp, ipv6-icmp, arp, rtp, llc, ...
  SmallString src_addr;                 // SrcAddr: IPv4, IPv6 or MAC text
  SmallString sport;                    // Sport
  SmallString dir;                      // Dir, trimmed
  SmallString dst_addr;                 // DstAddr
  SmallString dport;                    // Dport
  SmallString state;                    // State: "FSPA_FSPA", "CON", "INT", "ECO", ...
  std::optional<int> stos, dtos;        // sTos, dTos
  std::optional<uint64_t> total_packets, total_bytes, src_bytes;  // TotPkts, TotBytes, SrcBytes

  // SrcAddr and DstAddr as numbers, set by whoever makes the record when the text is an IP
  // address (the flow builder has them; the readers parse them once). A report asks several
  // times per window whether each flow's ends are in the LAN, and parsing the text each time
  // was 4% of its time. Always the same address as the text; std::nullopt for MAC addresses,
  // and in records made by hand (core/lan_networks.h then parses the text).
  std::optional<IpAddress> src_ip, dst_ip;

  // --fields extended; NaN where ra prints nothing or the input lacks the column.
  ExtendedValues extended;

  // The start of the window the flow belongs to, when flows are windowed (the Window column).
  std::optional<int64_t> window_start_ns;

  // From flow files: the Label column (CTU-13 "flow=From-Botnet-V42-TCP-..."), and the
  // values of any other columns, in the order of the reader's extra_columns().
  SmallString label;
  std::vector<std::string> extra;

  FlowDns dns;  // from packets only

  double get(ExtendedField field) const { return extended[size_t(field)]; }
  void set(ExtendedField field, double value) { extended.set(size_t(field), value); }
};

}  // namespace botd
