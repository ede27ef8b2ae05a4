// Comparing botd's flows with argus's (SPEC §4): flows matched by protocol, both ends (in
// either order) and start time to the microsecond; per-column agreement counted.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "flow/flow_record.h"

namespace botd::test {

struct Agreement {
  uint64_t agree = 0, total = 0;
  double share() const { return total ? double(agree) / double(total) : 1.0; }
};

struct Fidelity {
  uint64_t argus_flows = 0, botd_flows = 0, matched = 0;
  std::map<std::string, Agreement> columns;  // by column name
  std::vector<std::string> column_order;
  void count(const std::string& column, bool agrees);
  double matched_share() const { return argus_flows ? double(matched) / double(argus_flows) : 1.0; }
};

// Adds one capture's (or window's) flows to `fidelity`: the CTU-13 columns, or with
// `extended` the 32 extended fields (within 0.1%). BOTD_FIDELITY_VERBOSE=1 prints every
// unmatched or disagreeing flow, prefixed with `label`.
void compare_flows(const std::vector<FlowRecord>& ours, const std::vector<FlowRecord>& theirs, bool extended,
                   Fidelity& fidelity, const std::string& label);

// The per-column table, as markdown.
void print_fidelity(const Fidelity& fidelity, const std::string& title);

}  // namespace botd::test
