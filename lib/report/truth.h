// Truth: which hosts were infected when, for `report --truth` (SPEC §6).
//
// From a host list (io/host_list.h: lines `IP` or `IP START END`): a listed host is botnet
// while its range lasts; every other host, and a listed host outside its range, is normal.
// From a labeled flow file (a CTU-13 .binetflow or a labeled Zeek conn.log, told apart from a
// host list by its first line): the source of a botnet flow (features/labels.h: From-Botnet,
// a Zeek "Malicious" other than an attack from outside) and the destination of a "To-Botnet"
// one are botnet from that host's first such flow on; the source of a normal flow
// ("From-Normal", "Normal", Zeek's "Benign") and the destination of a "To-Normal" one are
// normal; every other host (background) is unknown and left out of the metrics, as in the
// CTU-13 paper.
//
// Errors name the file and line (a bad address, a bad row). Immutable after construction.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/net_address.h"
#include "io/host_list.h"

namespace botd {

class Truth {
 public:
  enum class Role { botnet, normal, unknown };

  static Truth read(const std::string& path);
  static Truth from_host_list(std::vector<HostPeriod> infected);

  // The host's role in the window [start_ns, end_ns): botnet when infected at any time in it.
  Role role(std::string_view host, int64_t start_ns, int64_t end_ns) const;
  std::string description() const;  // "3 infected hosts (host list)" for summaries

 private:
  std::map<IpAddress, std::vector<HostPeriod>> infected_;
  std::map<IpAddress, bool> normal_;  // from a labeled file: the hosts known to be normal
  bool others_are_normal_ = true;     // host lists: everyone not infected is normal
  std::string source_;
};

}  // namespace botd
