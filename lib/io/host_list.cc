#include "io/host_list.h"

#include <sstream>

#include "core/error.h"
#include "core/time_format.h"
#include "io/input_stream.h"

namespace botd {
namespace {

std::string_view trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

// Splits on spaces and tabs; CTU-13's time form and ISO 8601 with a space have a space
// inside, so a date followed by a time is joined back ("2011/08/16 10:01:46").
std::vector<std::string> tokens_of(std::string_view line) {
  std::vector<std::string> tokens;
  std::istringstream stream{std::string(line)};
  for (std::string token; stream >> token;) tokens.push_back(token);
  std::vector<std::string> joined;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const bool date = tokens[i].size() == 10 && (tokens[i][4] == '/' || tokens[i][4] == '-');
    if (i + 1 < tokens.size() && date && parse_time(tokens[i] + " " + tokens[i + 1])) {
      joined.push_back(tokens[i] + " " + tokens[i + 1]);
      ++i;
    } else {
      joined.push_back(tokens[i]);
    }
  }
  return joined;
}

}  // namespace

std::vector<HostPeriod> read_host_list(const std::string& path) { return read_host_list(*InputStream::open(path)); }

std::vector<HostPeriod> read_host_list(InputStream& stream) {
  InputStream* input = &stream;
  std::string text;
  char buffer[65536];
  for (size_t n; (n = input->read(reinterpret_cast<uint8_t*>(buffer), sizeof buffer)) > 0;) text.append(buffer, n);
  if (!input->read_error().empty()) fail("{}", input->read_error());
  std::vector<HostPeriod> hosts;
  std::istringstream lines(text);
  int number = 0;
  for (std::string raw; std::getline(lines, raw);) {
    ++number;
    std::string_view line = raw;
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    const std::vector<std::string> fields = tokens_of(line);
    if (fields.size() != 1 && fields.size() != 3)
      fail("{}:{}: expected 'IP' or 'IP START END', got {} fields", input->name(), number, fields.size());
    HostPeriod host;
    auto address = IpAddress::parse(fields[0]);
    if (!address) fail("{}:{}: not an IP address: '{}'", input->name(), number, fields[0]);
    host.address = *address;
    if (fields.size() == 3) {
      const TimeReading from = read_time_text(fields[1]), to = read_time_text(fields[2]);
      if (from.status != TimeReading::Status::ok)
        fail("{}:{}: START is {}: '{}'", input->name(), number, time_problem(from.status), fields[1]);
      if (to.status != TimeReading::Status::ok)
        fail("{}:{}: END is {}: '{}'", input->name(), number, time_problem(to.status), fields[2]);
      if (to.time_ns < from.time_ns) fail("{}:{}: END is before START", input->name(), number);
      host.from_ns = from.time_ns;
      host.to_ns = to.time_ns;
    }
    hosts.push_back(host);
  }
  return hosts;
}

std::vector<HostPeriod> parse_host_addresses(std::string_view text, std::string_view option) {
  std::vector<HostPeriod> hosts;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    auto address = IpAddress::parse(item);
    if (!address) fail("{}: not an IP address: '{}'", option, item);
    hosts.push_back(HostPeriod{*address});
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return hosts;
}

}  // namespace botd
