#include "features/feature_set.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>

#include "features/flow_facts.h"

namespace botd {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

bool port_in(float port, std::initializer_list<int> ports) {
  for (int p : ports)
    if (port == float(p)) return true;
  return false;
}

// ---- Window context: what the other flows of the window say about a flow's source.
//
// Built for every window of a report, so without a node allocation per host or pair: hosts
// get dense numbers, and pairs (host, port) and (source, destination) are counted in one
// open-addressing table sized for the window. Maps of maps cost a third of the features' time
// in malloc and free on the benchmark capture.

constexpr uint64_t kNoKey = ~uint64_t(0);

// Counts of 64-bit keys (never kNoKey), at most `max_keys` of them.
class KeyCounts {
 public:
  explicit KeyCounts(size_t max_keys)
      : keys_(std::bit_ceil(std::max<size_t>(16, 2 * max_keys)), kNoKey),
        counts_(keys_.size()),
        shift_(64 - std::countr_zero(keys_.size())) {}
  // The slot of `key`, counted once more; `added` says whether it is new.
  uint32_t count(uint64_t key, bool& added) {
    const size_t mask = keys_.size() - 1;
    size_t slot = home(key);
    while (keys_[slot] != key && keys_[slot] != kNoKey) slot = (slot + 1) & mask;
    added = keys_[slot] == kNoKey;
    keys_[slot] = key;
    ++counts_[slot];
    return uint32_t(slot);
  }
  uint32_t at(uint32_t slot) const { return counts_[slot]; }
  // Asks for the memory of at(slot) ahead.
  void prefetch_at(uint32_t slot) const { __builtin_prefetch(&counts_[slot]); }
  // Asks for the memory where the search for `key` starts, ahead of count(key).
  void prefetch(uint64_t key) const {
    const size_t slot = home(key);
    __builtin_prefetch(&keys_[slot]);
    __builtin_prefetch(&counts_[slot]);
  }

 private:
  // Where the search for `key` starts: the multiplied key's best-mixed bits.
  size_t home(uint64_t key) const { return size_t((key * 0x9E3779B97F4A7C15ull) >> shift_); }

  std::vector<uint64_t> keys_;
  std::vector<uint32_t> counts_;
  int shift_;
};

// An address of a flow as HostNumbers knows it: an IP address by its numbers (the record's,
// else its text's), anything else (a MAC address) by its text. Hashing and comparing 16 bytes
// costs less than hashing and comparing text (3% of a report's samples).
struct HostKey {
  std::optional<IpAddress> ip;
  std::string_view text;

  static HostKey of(const std::optional<IpAddress>& ip, std::string_view text) {
    return {ip ? ip : IpAddress::parse(text), text};
  }
  size_t hash() const {
    if (!ip) return std::hash<std::string_view>()(text);
    uint64_t half[2];
    std::memcpy(half, ip->bytes(), sizeof half);
    uint64_t h = half[0] * 0x9E3779B97F4A7C15ull ^ half[1] * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 32;  // the slot is the low bits: mix the high ones down
    h *= 0x165667B19E3779F9ull;
    return size_t(h ^ h >> 29);
  }
  bool operator==(const HostKey& other) const { return ip ? ip == other.ip : !other.ip && text == other.text; }
};

// Dense numbers for the addresses of a window (sources and destinations alike).
class HostNumbers {
 public:
  explicit HostNumbers(size_t max_hosts) : slots_(std::bit_ceil(std::max<size_t>(16, 2 * max_hosts)), kNone) {}
  // Asks for the memory where the search for the host of this hash starts, ahead of number().
  void prefetch(size_t hash) const { __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]); }
  // REQUIRES: `hash` is host.hash().
  uint32_t number(const HostKey& host, size_t hash) {
    const size_t mask = slots_.size() - 1;
    size_t slot = hash & mask;
    while (slots_[slot] != kNone && hosts_[slots_[slot]] != host) slot = (slot + 1) & mask;
    if (slots_[slot] == kNone) {
      slots_[slot] = uint32_t(hosts_.size());
      hosts_.push_back(host);
    }
    return slots_[slot];
  }
  size_t size() const { return hosts_.size(); }

 private:
  static constexpr uint32_t kNone = ~uint32_t(0);
  std::vector<uint32_t> slots_;
  std::vector<HostKey> hosts_;
};

struct HostContext {
  // As a source.
  uint32_t flows = 0, failed = 0, tcp = 0, udp = 0, icmp = 0, dns = 0, smtp = 0;
  uint32_t destinations = 0, dports = 0;  // distinct
  double bytes = 0;
  // As a destination.
  uint32_t flows_in = 0, sources = 0;  // sources distinct
};

// Where one flow's counts are.
struct FlowContext {
  uint32_t src = 0, dst = 0;
  uint32_t same_dport_slot = 0, same_dst_slot = 0;
  bool has_dport = false;
};

uint64_t pair_key(uint32_t first, uint32_t second) { return uint64_t(first) << 32 | second; }

}  // namespace

struct WindowContext {
  explicit WindowContext(size_t flow_count) : same_dport(flow_count), same_dst(flow_count) {}
  std::vector<HostContext> hosts;  // by host number
  std::vector<FlowContext> flows;  // by flow
  KeyCounts same_dport;            // (source, destination port)
  KeyCounts same_dst;              // (source, destination)
};

namespace {

// The tables are megabytes, and a flow's slots are anywhere in them: each is asked for this
// many flows ahead of its lookup, which otherwise waits for memory (two thirds of the
// context's time on the benchmark capture).
constexpr size_t kAhead = 8;

// Also the facts of every flow into `facts`: the records are tens of MB, and each pass over
// them streams them from memory again, so what the context needs of a record is read in one.
void build_context(std::span<const FlowRecord> flows, std::vector<FlowFacts>& facts, WindowContext& context) {
  using P = FlowFacts::Proto;
  facts.resize(flows.size());
  std::vector<HostKey> ends(2 * flows.size());   // each flow's source, then destination
  std::vector<size_t> hashes(2 * flows.size());  // of those
  std::vector<double> bytes(flows.size());
  for (size_t i = 0; i < flows.size(); ++i) {
    const FlowRecord& flow = flows[i];
    facts[i] = facts_of(flow);
    ends[2 * i] = HostKey::of(flow.src_ip, flow.src_addr);
    ends[2 * i + 1] = HostKey::of(flow.dst_ip, flow.dst_addr);
    hashes[2 * i] = ends[2 * i].hash();
    hashes[2 * i + 1] = ends[2 * i + 1].hash();
    bytes[i] = double(flow.total_bytes.value_or(0));
  }
  HostNumbers numbers(2 * flows.size());
  context.flows.resize(flows.size());
  for (size_t i = 0; i < flows.size(); ++i) {
    if (i + kAhead < flows.size()) {
      numbers.prefetch(hashes[2 * (i + kAhead)]);
      numbers.prefetch(hashes[2 * (i + kAhead) + 1]);
    }
    FlowContext& at = context.flows[i];
    at.src = numbers.number(ends[2 * i], hashes[2 * i]);
    at.dst = numbers.number(ends[2 * i + 1], hashes[2 * i + 1]);
  }
  // The pairs counted of flow i: (source, destination port) and (source, destination).
  const auto dport_key = [&](size_t i) {
    return pair_key(context.flows[i].src, std::bit_cast<uint32_t>(facts[i].dport));
  };
  const auto dst_key = [&](size_t i) { return pair_key(context.flows[i].src, context.flows[i].dst); };
  context.hosts.resize(numbers.size());
  for (size_t i = 0; i < flows.size(); ++i) {
    if (i + kAhead < flows.size()) {
      if (!std::isnan(facts[i + kAhead].dport)) context.same_dport.prefetch(dport_key(i + kAhead));
      context.same_dst.prefetch(dst_key(i + kAhead));
    }
    const FlowFacts& f = facts[i];
    FlowContext& at = context.flows[i];
    HostContext& host = context.hosts[at.src];
    ++host.flows;
    host.failed += f.failed;
    host.tcp += f.proto == P::tcp;
    host.udp += f.proto == P::udp;
    host.icmp += f.proto == P::icmp || f.proto == P::icmpv6;
    host.dns += port_in(f.dport, {53});
    host.smtp += f.proto == P::tcp && port_in(f.dport, {25, 465, 587});
    host.bytes += bytes[i];
    bool added = false;
    at.has_dport = !std::isnan(f.dport);
    if (at.has_dport) {
      at.same_dport_slot = context.same_dport.count(dport_key(i), added);
      host.dports += added;
    }
    at.same_dst_slot = context.same_dst.count(dst_key(i), added);
    host.destinations += added;
    HostContext& destination = context.hosts[at.dst];
    ++destination.flows_in;
    destination.sources += added;
  }
}

// ---- The columns, written in the order of feature_names().

class MatrixRow {
 public:
  explicit MatrixRow(float* row) : row_(row) {}
  void put(float value) { row_[next_++] = value; }
  void put(bool value) { row_[next_++] = value ? 1.0f : 0.0f; }
  void put(std::optional<uint64_t> value) { put(value ? float(*value) : kMissing); }
  void put(std::optional<int> value) { put(value ? float(*value) : kMissing); }
  size_t written() const { return next_; }

 private:
  float* row_;
  size_t next_ = 0;
};

float ratio(double numerator, double denominator) {
  return denominator > 0 ? float(numerator / denominator) : kMissing;
}

void put_flow_columns(MatrixRow& out, const FlowRecord& flow, const FlowFacts& f) {
  using P = FlowFacts::Proto;
  const double duration = flow.duration_s.value_or(std::nan(""));
  out.put(float(duration));
  for (P proto : {P::tcp, P::udp, P::icmp, P::icmpv6, P::arp, P::igmp, P::other}) out.put(f.proto == proto);
  out.put(f.sport);
  out.put(f.dport);
  const bool ports = !std::isnan(f.dport);
  out.put(ports ? f.sport < 1024 : kMissing);
  out.put(ports ? f.dport < 1024 : kMissing);
  out.put(ports ? f.dport >= 1024 && f.dport < 49152 : kMissing);
  out.put(ports ? f.dport >= 49152 : kMissing);
  // Service classes, by destination port.
  const float d = f.dport;
  out.put(port_in(d, {53, 5353}));
  out.put(port_in(d, {80, 8000, 8080}));
  out.put(port_in(d, {443, 8443}));
  out.put(port_in(d, {25, 465, 587}));
  out.put(port_in(d, {6660, 6661, 6662, 6663, 6664, 6665, 6666, 6667, 6668, 6669, 6697}));
  out.put(port_in(d, {22}));
  out.put(port_in(d, {23}));
  out.put(port_in(d, {20, 21}));
  out.put(port_in(d, {123}));
  out.put(port_in(d, {137, 138, 139}));
  out.put(port_in(d, {445}));
  out.put(port_in(d, {3389}));
  out.put(port_in(d, {1080, 3128}));
  out.put(f.icmp_type);
  out.put(f.icmp_code);
  // Direction, from Dir.
  // As string_views: a comparison with a literal is then a few inline loads, where
  // std::string's called memcmp (2% of a report's samples).
  const std::string_view dir = flow.dir;
  out.put(dir == "<->" || dir == "<?>");
  out.put(dir == "->" || dir == "?>");
  out.put(dir == "<-" || dir == "<?");
  out.put(dir.find('?') != std::string_view::npos);
  // TCP flags per side, from State.
  for (uint8_t side_flags : {f.src_flags, f.dst_flags})
    for (int bit = 0; bit < 8; ++bit) out.put(f.proto == P::tcp ? float((side_flags >> bit) & 1) : kMissing);
  // Other states.
  const std::string_view state = flow.state;
  const bool tcp = f.proto == P::tcp;
  out.put(!tcp && state == "CON");
  out.put(!tcp && state == "INT");
  out.put(!tcp && state == "REQ");
  out.put(!tcp && state == "RSP");
  out.put(state == "ECO");
  out.put(state == "ECR");
  out.put(state.starts_with("UR"));
  out.put(!tcp && state != "CON" && state != "INT" && state != "REQ" && state != "RSP" && state != "ECO" &&
          state != "ECR" && !state.starts_with("UR"));
  out.put(f.answered);
  out.put(f.failed);
  out.put(flow.stos);
  out.put(flow.dtos);
  // Volumes and rates.
  // A count the flow lacks is missing, and so is everything computed from it.
  const auto value_of = [](const std::optional<uint64_t>& count) { return count ? double(*count) : std::nan(""); };
  const double packets = value_of(flow.total_packets), bytes = value_of(flow.total_bytes);
  const double src_bytes = value_of(flow.src_bytes);
  out.put(flow.total_packets);
  out.put(flow.total_bytes);
  out.put(flow.src_bytes);
  out.put(float(bytes - src_bytes));
  out.put(ratio(src_bytes, bytes));
  out.put(ratio(bytes, packets));
  out.put(ratio(packets, duration));
  out.put(ratio(bytes, duration));
  for (size_t i = 0; i < kExtendedFieldCount; ++i) out.put(float(flow.extended[i]));
}

// Asks for the memory that put_context_columns() reads for flow i: its slots are anywhere in
// tables of megabytes (loading them was two thirds of fill()'s samples). Inlined by force:
// GCC takes a call that only prefetches for one without effect, and drops it.
[[gnu::always_inline]] inline void prefetch_context(size_t i, const WindowContext& context) {
  const FlowContext& at = context.flows[i];
  __builtin_prefetch(&context.hosts[at.src]);
  __builtin_prefetch(&context.hosts[at.dst]);
  if (at.has_dport) context.same_dport.prefetch_at(at.same_dport_slot);
  context.same_dst.prefetch_at(at.same_dst_slot);
}

void put_context_columns(MatrixRow& out, size_t i, const WindowContext& context) {
  const FlowContext& at = context.flows[i];
  const HostContext& host = context.hosts[at.src];
  const double flows = host.flows;
  out.put(float(host.flows));
  out.put(float(host.destinations));
  out.put(float(host.dports));
  out.put(ratio(host.failed, flows));
  out.put(ratio(host.tcp, flows));
  out.put(ratio(host.udp, flows));
  out.put(ratio(host.icmp, flows));
  out.put(ratio(host.dns, flows));
  out.put(float(host.smtp));
  out.put(ratio(host.bytes, flows));
  out.put(at.has_dport ? float(context.same_dport.at(at.same_dport_slot)) : kMissing);
  out.put(float(context.same_dst.at(at.same_dst_slot)));
  const HostContext& destination = context.hosts[at.dst];
  out.put(float(destination.flows_in));
  out.put(float(destination.sources));
}

std::vector<std::string> make_names() {
  std::vector<std::string> names = {"duration", "proto_tcp", "proto_udp", "proto_icmp", "proto_icmpv6", "proto_arp",
                                    "proto_igmp", "proto_other", "sport", "dport", "sport_wellknown",
                                    "dport_wellknown", "dport_registered", "dport_dynamic", "svc_dns", "svc_http",
                                    "svc_https", "svc_smtp", "svc_irc", "svc_ssh", "svc_telnet", "svc_ftp",
                                    "svc_ntp", "svc_netbios", "svc_smb", "svc_rdp", "svc_proxy", "icmp_type",
                                    "icmp_code", "dir_both", "dir_forward", "dir_backward", "dir_unsure"};
  for (const char* side : {"src", "dst"})
    for (const char* flag : {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"})
      names.push_back(std::string(side) + "_" + flag);
  for (const char* name : {"state_con", "state_int", "state_req", "state_rsp", "state_eco", "state_ecr",
                           "state_unreachable", "state_other", "answered", "failed", "stos", "dtos", "tot_pkts",
                           "tot_bytes", "src_bytes", "dst_bytes", "src_bytes_share", "bytes_per_pkt",
                           "pkts_per_second", "bytes_per_second"})
    names.push_back(name);
  for (const ExtendedFieldInfo& field : extended_field_info()) names.push_back("ext_" + std::string(field.name));
  for (const char* name : {"ctx_src_flows", "ctx_src_dsts", "ctx_src_dports", "ctx_src_failed_share",
                           "ctx_src_tcp_share", "ctx_src_udp_share", "ctx_src_icmp_share", "ctx_src_dns_share",
                           "ctx_src_smtp_flows", "ctx_src_mean_bytes", "ctx_src_same_dport_flows",
                           "ctx_src_same_dst_flows", "ctx_dst_flows", "ctx_dst_srcs"})
    names.push_back(name);
  return names;
}

}  // namespace

const std::vector<std::string>& feature_names() {
  static const std::vector<std::string> names = make_names();
  return names;
}

WindowFeatures::WindowFeatures(std::span<const FlowRecord> flows) : flows_(flows) {
  context_ = std::make_unique<WindowContext>(flows.size());
  build_context(flows, facts_, *context_);
}

WindowFeatures::~WindowFeatures() = default;

void WindowFeatures::fill(std::span<const size_t> rows, FeatureMatrix& matrix) const {
  if (matrix.names != feature_names()) matrix.names = feature_names();
  const size_t columns = matrix.columns();
  matrix.values.resize(rows.size() * columns);  // every cell is written below
  for (size_t r = 0; r < rows.size(); ++r) {
    const size_t i = rows[r];
    if (r + kAhead < rows.size()) prefetch_context(rows[r + kAhead], *context_);
    MatrixRow out(&matrix.values[r * columns]);
    put_flow_columns(out, flows_[i], facts_[i]);
    put_context_columns(out, i, *context_);
    if (out.written() != columns) std::abort();  // the names and the writers disagree: a programming error
  }
}

void WindowFeatures::fill(size_t first, size_t count, FeatureMatrix& matrix) const {
  std::vector<size_t> rows(count);
  std::iota(rows.begin(), rows.end(), first);
  fill(rows, matrix);
}

FeatureMatrix compute_features(std::span<const FlowRecord> flows, std::span<const size_t> rows) {
  FeatureMatrix matrix;
  WindowFeatures(flows).fill(rows, matrix);
  return matrix;
}

FeatureMatrix compute_features(std::span<const FlowRecord> flows) {
  FeatureMatrix matrix;
  WindowFeatures(flows).fill(0, flows.size(), matrix);
  return matrix;
}

}  // namespace botd
