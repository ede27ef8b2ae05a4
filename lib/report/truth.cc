#include "report/truth.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "core/error.h"
#include "features/labels.h"
#include "flow/flow_file_reader.h"
#include "flow/zeek_conn_reader.h"
#include "io/input_stream.h"

namespace botd {
namespace {

// A flow file's header names these, a Zeek log says so; a host list's first line is an
// address or a comment.
bool looks_like_flow_file(std::span<const uint8_t> head) {
  if (looks_like_zeek_log(head)) return true;
  const std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
  const std::string_view line = text.substr(0, text.find('\n'));
  return line.find("SrcAddr") != std::string_view::npos && line.find("DstAddr") != std::string_view::npos;
}

}  // namespace

Truth Truth::from_host_list(std::vector<HostPeriod> infected) {
  Truth truth;
  for (const HostPeriod& period : infected) truth.infected_[period.address].push_back(period);
  truth.source_ = "host list";
  return truth;
}

Truth Truth::read(const std::string& path) {
  std::unique_ptr<InputStream> input = InputStream::open(path);
  if (!looks_like_flow_file(input->head())) {
    Truth truth = from_host_list(read_host_list(*input));
    truth.source_ = "host list " + path;
    return truth;
  }
  FlowFileReader reader(std::move(input));
  if (!reader.has_column("Label"))
    fail("{}: --truth needs a host list or a flow file with a Label column; this flow file has no Label", reader.name());
  Truth truth;
  truth.others_are_normal_ = false;
  truth.source_ = "labels of " + path;
  std::map<IpAddress, int64_t> first_botnet_ns;
  FlowRecord flow;
  while (reader.next(flow)) {
    std::string_view label = flow.label;
    if (label.starts_with("flow=")) label.remove_prefix(5);
    // CTU-13's To-... labels speak of the destination; all others (Zeek's too) of the source.
    const bool to = label.starts_with("To-");
    const SmallString& host = to ? flow.dst_addr : flow.src_addr;
    const std::optional<IpAddress> address = IpAddress::parse(host);
    if (!address) continue;
    const LabelClass label_class = classify_label(label);
    if (label_class == LabelClass::botnet || (to && label.find("Botnet") != std::string_view::npos)) {
      auto [it, inserted] = first_botnet_ns.emplace(*address, flow.start_ns);
      if (!inserted) it->second = std::min(it->second, flow.start_ns);
    } else if (label_class == LabelClass::normal) {
      truth.normal_[*address] = true;
    }
  }
  for (const auto& [address, from_ns] : first_botnet_ns) {
    truth.infected_[address].push_back({address, from_ns, std::numeric_limits<int64_t>::max()});
    truth.normal_[address] = true;  // before its first botnet flow, an infected host counts as normal
  }
  return truth;
}

Truth::Role Truth::role(std::string_view host, int64_t start_ns, int64_t end_ns) const {
  const std::optional<IpAddress> address = IpAddress::parse(host);
  if (!address) return Role::unknown;
  if (const auto it = infected_.find(*address); it != infected_.end())
    for (const HostPeriod& period : it->second)
      if (period.from_ns < end_ns && period.to_ns >= start_ns) return Role::botnet;
  if (others_are_normal_ || normal_.contains(*address)) return Role::normal;
  return Role::unknown;
}

std::string Truth::description() const {
  return fmt::format("{} infected host{} ({})", infected_.size(), infected_.size() == 1 ? "" : "s", source_);
}

}  // namespace botd
