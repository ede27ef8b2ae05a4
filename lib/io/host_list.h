// Host lists: the infected hosts of --infected-file and --truth, the normal hosts of --normal.
//
// One host per line: `IP`, or `IP START END` (times in ISO 8601 UTC, CTU-13's form, or
// seconds since the epoch; the host counts from START up to END). Blank lines and lines
// starting with `#` are skipped; a trailing `# comment` is allowed. On the command line, the
// same hosts are written `IP[,IP...]` (no time ranges).
//
// Errors name the file and line: `botd: truth.txt:3: not an IP address: '10.0.0.300'`.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/net_address.h"

namespace botd {

class InputStream;

struct HostPeriod {
  IpAddress address;
  int64_t from_ns = std::numeric_limits<int64_t>::min();
  int64_t to_ns = std::numeric_limits<int64_t>::max();  // inclusive
  bool covers(int64_t time_ns) const { return time_ns >= from_ns && time_ns <= to_ns; }
};

// Reads a host list file ("-": standard input).
std::vector<HostPeriod> read_host_list(const std::string& path);
// The same from an input already open (its head not yet consumed).
std::vector<HostPeriod> read_host_list(InputStream& input);

// Parses "IP[,IP...]" from the command line; `option` names it in errors.
std::vector<HostPeriod> parse_host_addresses(std::string_view text, std::string_view option);

}  // namespace botd
