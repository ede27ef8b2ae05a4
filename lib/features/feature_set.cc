#include "features/feature_set.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

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

struct HostContext {
  uint32_t flows = 0, failed = 0, tcp = 0, udp = 0, icmp = 0, dns = 0, smtp = 0;
  double bytes = 0;
  // Their sizes are the distinct destination ports and destinations.
  std::unordered_map<float, uint32_t> flows_per_dport;
  std::unordered_map<std::string_view, uint32_t> flows_per_destination;
};

struct DestinationContext {
  uint32_t flows = 0;
  std::unordered_set<std::string_view> sources;
};

}  // namespace

struct WindowContext {
  std::unordered_map<std::string_view, HostContext> sources;
  std::unordered_map<std::string_view, DestinationContext> destinations;
};

namespace {

WindowContext context_of(std::span<const FlowRecord> flows, const std::vector<FlowFacts>& facts) {
  WindowContext context;
  using P = FlowFacts::Proto;
  for (size_t i = 0; i < flows.size(); ++i) {
    const FlowRecord& flow = flows[i];
    const FlowFacts& f = facts[i];
    HostContext& host = context.sources[flow.src_addr];
    ++host.flows;
    host.failed += f.failed;
    host.tcp += f.proto == P::tcp;
    host.udp += f.proto == P::udp;
    host.icmp += f.proto == P::icmp || f.proto == P::icmpv6;
    host.dns += port_in(f.dport, {53});
    host.smtp += f.proto == P::tcp && port_in(f.dport, {25, 465, 587});
    host.bytes += double(flow.total_bytes.value_or(0));
    if (!std::isnan(f.dport)) ++host.flows_per_dport[f.dport];
    ++host.flows_per_destination[flow.dst_addr];
    DestinationContext& destination = context.destinations[flow.dst_addr];
    ++destination.flows;
    destination.sources.insert(flow.src_addr);
  }
  return context;
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
  const std::string& dir = flow.dir;
  out.put(dir == "<->" || dir == "<?>");
  out.put(dir == "->" || dir == "?>");
  out.put(dir == "<-" || dir == "<?");
  out.put(dir.find('?') != std::string::npos);
  // TCP flags per side, from State.
  for (uint8_t side_flags : {f.src_flags, f.dst_flags})
    for (int bit = 0; bit < 8; ++bit) out.put(f.proto == P::tcp ? float((side_flags >> bit) & 1) : kMissing);
  // Other states.
  const std::string& state = flow.state;
  const bool tcp = f.proto == P::tcp;
  out.put(!tcp && state == "CON");
  out.put(!tcp && state == "INT");
  out.put(!tcp && state == "REQ");
  out.put(!tcp && state == "RSP");
  out.put(state == "ECO");
  out.put(state == "ECR");
  out.put(state.rfind("UR", 0) == 0);
  out.put(!tcp && state != "CON" && state != "INT" && state != "REQ" && state != "RSP" && state != "ECO" &&
          state != "ECR" && state.rfind("UR", 0) != 0);
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

void put_context_columns(MatrixRow& out, const FlowRecord& flow, const FlowFacts& f, const WindowContext& context) {
  const HostContext& host = context.sources.at(flow.src_addr);
  const double flows = host.flows;
  out.put(float(host.flows));
  out.put(float(host.flows_per_destination.size()));
  out.put(float(host.flows_per_dport.size()));
  out.put(ratio(host.failed, flows));
  out.put(ratio(host.tcp, flows));
  out.put(ratio(host.udp, flows));
  out.put(ratio(host.icmp, flows));
  out.put(ratio(host.dns, flows));
  out.put(float(host.smtp));
  out.put(ratio(host.bytes, flows));
  const auto same_port = std::isnan(f.dport) ? host.flows_per_dport.end() : host.flows_per_dport.find(f.dport);
  out.put(same_port == host.flows_per_dport.end() ? kMissing : float(same_port->second));
  out.put(float(host.flows_per_destination.at(flow.dst_addr)));
  const DestinationContext& destination = context.destinations.at(flow.dst_addr);
  out.put(float(destination.flows));
  out.put(float(destination.sources.size()));
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
  facts_.reserve(flows.size());
  for (const FlowRecord& flow : flows) facts_.push_back(facts_of(flow));
  context_ = std::make_unique<WindowContext>(context_of(flows, facts_));
}

WindowFeatures::~WindowFeatures() = default;

void WindowFeatures::fill(std::span<const size_t> rows, FeatureMatrix& matrix) const {
  if (matrix.names != feature_names()) matrix.names = feature_names();
  const size_t columns = matrix.columns();
  matrix.values.resize(rows.size() * columns);  // every cell is written below
  for (size_t r = 0; r < rows.size(); ++r) {
    const size_t i = rows[r];
    MatrixRow out(&matrix.values[r * columns]);
    put_flow_columns(out, flows_[i], facts_[i]);
    put_context_columns(out, flows_[i], facts_[i], *context_);
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
