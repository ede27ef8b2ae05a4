// Zeek conn.logs through the botd binary, end to end:
// - round trip: `botd flows --window 0 --format zeek` of a capture read back by `botd flows`
//   gives the capture's own flows in every field a conn.log carries (the generated example,
//   and IoT-23 42-1's capture from ../shared/data);
// - an independent checker of Zeek's ASCII log format (LogAscii, conn.log's columns and types
//   as Zeek documents them in base/protocols/conn/main.zeek), run on botd's logs, on a real
//   Zeek log, and on broken copies (it must see them);
// - every command reading a Zeek log (flows, score, report --truth, train, --labels), also
//   gzipped and on standard input, with the counts measured on the shared logs;
// - bad Zeek input: exit 1, one stderr line naming the file and line, no output file.
// The reader's own unit tests are in zeek_test.cc.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "test_support.h"

namespace botd::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string botd() { return botd_command(); }
using Example = ExampleCapture;

fs::path zeek_dir() { return data_dir() / "zeek"; }
fs::path iot23_42_1_log() { return zeek_dir() / "iot23-42-1-trojan" / "conn.log.labeled"; }
fs::path iot23_42_1_pcap() { return zeek_dir() / "iot23-42-1-trojan" / "2019-01-10-14-34-38-192.168.1.197.pcap"; }
fs::path normal_day8_log() { return zeek_dir() / "normal40-day008" / "conn.log.labeled"; }
fs::path android_rat_log() { return zeek_dir() / "androidtester-rat" / "conn.log"; }

#define REQUIRE_FILE(path)                                                              \
  do {                                                                                  \
    if (!fs::exists(path)) GTEST_SKIP() << "no " << (path) << " (shared data missing)"; \
  } while (0)

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t at = 0;
  for (size_t stop; (stop = text.find(separator, at)) != std::string::npos; at = stop + 1)
    parts.push_back(text.substr(at, stop - at));
  parts.push_back(text.substr(at));
  return parts;
}

std::string trimmed(const std::string& text) {
  const size_t first = text.find_first_not_of(' ');
  return first == std::string::npos ? "" : text.substr(first, text.find_last_not_of(' ') - first + 1);
}

std::optional<uint64_t> decimal(const std::string& text) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool is_ip_address(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

// ---- CSV as botd writes it (RFC 4180).

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  size_t column(const std::string& name) const {
    const auto found = std::find(header.begin(), header.end(), name);
    EXPECT_NE(found, header.end()) << "no column " << name;
    return size_t(found - header.begin());
  }
  const std::string& at(size_t row, const std::string& name) const { return rows[row].at(column(name)); }
};

Csv parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    any = true;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      fields.push_back(std::move(field));
      field.clear();
      lines.push_back(std::move(fields));
      fields.clear();
      any = false;
    } else {
      field += c;
    }
  }
  if (any) {
    fields.push_back(field);
    lines.push_back(fields);
  }
  Csv csv;
  if (lines.empty()) return csv;
  csv.header = lines[0];
  csv.rows.assign(lines.begin() + 1, lines.end());
  for (size_t i = 0; i < csv.rows.size(); ++i)
    EXPECT_EQ(csv.rows[i].size(), csv.header.size()) << "CSV row " << i + 1;
  return csv;
}

Csv read_csv(const fs::path& path) { return parse_csv(read_file(path)); }

bool has_line(const CommandResult& result, const std::string& line) {
  const std::vector<std::string> lines = result.err_lines();
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// The stderr line that starts with `prefix`, "" if none.
std::string line_starting(const CommandResult& result, const std::string& prefix) {
  for (const std::string& line : result.err_lines())
    if (line.starts_with(prefix)) return line;
  return "";
}

// ---- Zeek's ASCII log format, checked from Zeek's documentation (not from botd's code).

// conn.log's columns in Zeek's order (Conn::Info, Zeek 2.x to 7.0), with their types and
// whether Zeek may leave them unset (&optional; missed_bytes has &default=0).
struct ConnColumn {
  const char* name;
  const char* type;
  bool optional;
};
constexpr ConnColumn kConnColumns[] = {
    {"ts", "time", false},           {"uid", "string", false},        {"id.orig_h", "addr", false},
    {"id.orig_p", "port", false},    {"id.resp_h", "addr", false},    {"id.resp_p", "port", false},
    {"proto", "enum", false},        {"service", "string", true},     {"duration", "interval", true},
    {"orig_bytes", "count", true},   {"resp_bytes", "count", true},   {"conn_state", "string", true},
    {"local_orig", "bool", true},    {"local_resp", "bool", true},    {"missed_bytes", "count", false},
    {"history", "string", true},     {"orig_pkts", "count", true},    {"orig_ip_bytes", "count", true},
    {"resp_pkts", "count", true},    {"resp_ip_bytes", "count", true}, {"tunnel_parents", "set[string]", true},
};
constexpr size_t kConnColumnCount = std::size(kConnColumns);

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "123.456789": digits, a point, exactly six decimals (Zeek's %.6f for time and interval).
bool six_decimals(std::string_view text, bool may_be_negative) {
  if (may_be_negative && text.starts_with('-')) text.remove_prefix(1);
  const size_t point = text.find('.');
  return point != std::string_view::npos && all_digits(text.substr(0, point)) && text.size() - point - 1 == 6 &&
         all_digits(text.substr(point + 1));
}

// Zeek's #open / #close stamp: %Y-%m-%d-%H-%M-%S with values in range.
bool is_stamp(const std::string& text) {
  if (text.size() != 19) return false;
  for (size_t i = 0; i < text.size(); ++i)
    if ((i == 4 || i == 7 || i == 10 || i == 13 || i == 16) ? text[i] != '-' : !std::isdigit(uint8_t(text[i])))
      return false;
  const auto part = [&](size_t at, size_t n) { return std::stoi(text.substr(at, n)); };
  return part(5, 2) >= 1 && part(5, 2) <= 12 && part(8, 2) >= 1 && part(8, 2) <= 31 && part(11, 2) <= 23 &&
         part(14, 2) <= 59 && part(17, 2) <= 60;
}

// Text as Zeek's ASCII writer leaves it: no tab, no control byte, a backslash only in \xHH
// or "\\"; "-" and "(empty)" are the unset and empty markers, never text.
std::string text_problem(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = uint8_t(text[i]);
    if (byte < 0x20 || byte == 0x7f) return "holds an unescaped control byte";
    if (text[i] != '\\') continue;
    if (i + 1 < text.size() && text[i + 1] == '\\') {
      ++i;
      continue;
    }
    if (i + 3 >= text.size() || text[i + 1] != 'x' || !std::isxdigit(uint8_t(text[i + 2])) ||
        !std::isxdigit(uint8_t(text[i + 3])))
      return "holds a backslash that is no \\xHH escape";
    i += 3;
  }
  return "";
}

// What is wrong with one field of a conn.log row, "" if nothing.
std::string field_problem(const ConnColumn& column, const std::string& value) {
  const std::string_view type = column.type, name = column.name;
  if (value == "-") return column.optional ? "" : "is unset, which Zeek never leaves it";
  if (value == "(empty)")
    return type == "string" || type.starts_with("set[") ? "" : "is (empty), which only text and sets can be";
  if (value.empty()) return "is an empty field (Zeek writes (empty) or -)";
  if (type == "time" && !six_decimals(value, false)) return "is not a time with six decimals";
  if (type == "interval" && !six_decimals(value, true)) return "is not an interval with six decimals";
  if (type == "addr" && !is_ip_address(value)) return "is not an IP address";
  if (type == "count" && !decimal(value)) return "is not a count";
  if (type == "port" && (!decimal(value) || *decimal(value) > 65535)) return "is not a port (0 to 65535)";
  if (type == "bool" && value != "T" && value != "F") return "is not T or F";
  if (type == "enum" && name == "proto" && value != "tcp" && value != "udp" && value != "icmp" &&
      value != "unknown_transport")
    return "is not a transport_proto (tcp, udp, icmp, unknown_transport)";
  if (type == "string" || type.starts_with("set[")) {
    for (const std::string& element : type == "string" ? std::vector<std::string>{value} : split(value, ','))
      if (const std::string problem = text_problem(element); !problem.empty()) return problem;
  }
  if (name == "uid" && (value[0] != 'C' || value.size() < 2 ||
                        !std::all_of(value.begin(), value.end(), [](char c) { return std::isalnum(uint8_t(c)); })))
    return "is not a connection uid (C and letters and digits)";
  static const std::set<std::string> kStates = {"S0", "S1", "SF",   "REJ",    "S2", "S3",  "RSTO",
                                                "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH"};
  if (name == "conn_state" && !kStates.contains(value)) return "is not one of Zeek's connection states";
  if (name == "history" && value.find_first_not_of("ShHaAdDfFrRcCgGtTwWiIqQ^") != std::string::npos)
    return "has letters that are not in Zeek's history alphabet";
  return "";
}

// Every way `text` is not a Zeek TSV conn.log of conn.log's standard columns (at most 20).
// Reads the #open and #close stamps into `open` and `close` when given.
std::vector<std::string> conn_log_problems(const std::string& text, std::string* open = nullptr,
                                           std::string* close = nullptr) {
  std::vector<std::string> problems;
  const auto problem = [&](size_t line, const std::string& what) {
    if (problems.size() < 20) problems.push_back("line " + std::to_string(line) + ": " + what);
  };
  if (text.empty() || text.back() != '\n') problem(0, "the log does not end with a line end");
  std::vector<std::string> lines = split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.size() < 9) {
    problem(lines.size(), "too short for a header, rows and #close");
    return problems;
  }
  std::string fields = "#fields", types = "#types";
  for (const ConnColumn& column : kConnColumns) {
    fields += std::string("\t") + column.name;
    types += std::string("\t") + column.type;
  }
  const std::string expected[] = {"#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)",
                                  "#unset_field\t-",  "#path\tconn",       "#open\t",
                                  fields,             types};
  for (size_t i = 0; i < std::size(expected); ++i) {
    const bool same = i == 5 ? lines[i].starts_with(expected[i]) : lines[i] == expected[i];
    if (!same) problem(i + 1, "header line '" + lines[i] + "' is not '" + expected[i] + "'");
  }
  if (lines[5].starts_with("#open\t")) {
    const std::string stamp = lines[5].substr(6);
    if (!is_stamp(stamp)) problem(6, "#open stamp '" + stamp + "' is not YYYY-MM-DD-HH-MM-SS");
    if (open) *open = stamp;
  }
  const std::string& last = lines.back();
  if (!last.starts_with("#close\t") || !is_stamp(last.substr(7)))
    problem(lines.size(), "the last line '" + last + "' is not #close and a stamp");
  else if (close)
    *close = last.substr(7);
  const size_t named = split(lines[6], '\t').size() - 1;  // the columns #fields names
  std::set<std::string> uids;
  for (size_t i = 8; i + 1 < lines.size(); ++i) {
    if (lines[i].starts_with('#')) {
      problem(i + 1, "a '#' line among the rows: " + lines[i]);
      continue;
    }
    const std::vector<std::string> row = split(lines[i], '\t');
    if (row.size() != named) {
      problem(i + 1, std::to_string(row.size()) + " fields, #fields names " + std::to_string(named));
      continue;
    }
    if (row.size() != kConnColumnCount) continue;  // #fields itself is wrong (a problem above)
    for (size_t f = 0; f < kConnColumnCount; ++f)
      if (const std::string what = field_problem(kConnColumns[f], row[f]); !what.empty())
        problem(i + 1, std::string(kConnColumns[f].name) + " '" + row[f] + "' " + what);
    if (!uids.insert(row[1]).second) problem(i + 1, "uid " + row[1] + " was already used");
  }
  return problems;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// The data rows of a Zeek TSV log, split into fields.
std::vector<std::vector<std::string>> zeek_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& line : split(text, '\n'))
    if (!line.empty() && line[0] != '#') rows.push_back(split(line, '\t'));
  return rows;
}

// The current time as Zeek's stamp, UTC.
std::string stamp_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d-%H-%M-%S", &utc);
  return text;
}

// ---- 1. Round trip

struct RoundTrip {
  size_t flows = 0;        // of the capture
  size_t not_in_log = 0;   // ARP and other non-IP flows
  size_t icmp = 0;         // ICMP flows (their Dport does not survive)
  size_t dir_changed = 0;  // TCP records without a SYN whose Dir argus knew
};

// The capture's flows (--window 0) against the same flows through a Zeek log and back. Checks,
// row for row, the fields a conn.log carries; counts into `counts`.
void round_trip(const fs::path& capture, const fs::path& dir, RoundTrip& counts) {
  const fs::path direct_csv = dir / "direct.csv", conn_log = dir / "conn.log", back_csv = dir / "back.csv";
  const CommandResult direct =
      run(botd() + " flows -q --window 0 --epoch " + quote(capture) + " -o " + quote(direct_csv));
  EXPECT_EQ(direct.exit_code, 0) << direct.err;
  const CommandResult zeek =
      run(botd() + " flows --window 0 --format zeek " + quote(capture) + " -o " + quote(conn_log));
  EXPECT_EQ(zeek.exit_code, 0) << zeek.err;
  const CommandResult back = run(botd() + " flows --epoch " + quote(conn_log) + " -o " + quote(back_csv));
  EXPECT_EQ(back.exit_code, 0) << back.err;
  const Csv flows = read_csv(direct_csv), read_back = read_csv(back_csv);
  const std::string log_text = read_file(conn_log);
  const std::vector<std::vector<std::string>> log_rows = zeek_rows(log_text);
  counts.flows = flows.rows.size();

  // Non-IP flows (ARP; flows between MAC addresses) are left out of the log, with a warning.
  std::vector<size_t> ip_flows;
  for (size_t i = 0; i < flows.rows.size(); ++i) {
    const std::string& proto = flows.at(i, "Proto");
    const bool ip = proto != "arp" && proto != "rarp" && is_ip_address(flows.at(i, "SrcAddr")) &&
                    is_ip_address(flows.at(i, "DstAddr"));
    if (ip) ip_flows.push_back(i);
  }
  counts.not_in_log = flows.rows.size() - ip_flows.size();
  EXPECT_EQ(has_line(zeek, "botd: warning: " + std::to_string(counts.not_in_log) +
                               " ARP and other non-IP flows are not in the Zeek log (a conn.log holds IP "
                               "connections only)"),
            counts.not_in_log > 0)
      << zeek.err;
  EXPECT_NE(line_starting(zeek, "botd: flows: ").find(", " + std::to_string(counts.flows) + " flows, 1 windows, "),
            std::string::npos)
      << zeek.err;  // the summary counts every flow built, the log holds the IP ones
  EXPECT_TRUE(has_line(back, "botd: flows: " + std::to_string(ip_flows.size()) + " flows")) << back.err;
  EXPECT_EQ(log_rows.size(), ip_flows.size());
  EXPECT_EQ(read_back.rows.size(), ip_flows.size());
  if (log_rows.size() != ip_flows.size() || read_back.rows.size() != ip_flows.size()) return;

  for (size_t k = 0; k < ip_flows.size(); ++k) {
    const size_t i = ip_flows[k];
    const std::vector<std::string>& conn = log_rows[k];
    SCOPED_TRACE("flow " + std::to_string(i + 1) + " (Zeek row " + std::to_string(k + 1) + ")");
    const auto flow = [&](const char* name) { return flows.at(i, name); };
    const auto again = [&](const char* name) { return read_back.at(k, name); };
    const std::string proto = flow("Proto");
    // The log itself, as Zeek means its fields: ts and duration are StartTime and Dur (six
    // decimals both: Zeek's microseconds; a duration of 0 unset, as Zeek leaves it), ICMP's
    // ports are type and code, *_ip_bytes are IP bytes (argus counts Ethernet frames, 14
    // bytes more per packet).
    ASSERT_EQ(conn.size(), kConnColumnCount);
    EXPECT_EQ(conn[0], flow("StartTime"));
    EXPECT_EQ(conn[8], flow("Dur") == "0.000000" ? "-" : flow("Dur"));
    EXPECT_EQ(conn[2], flow("SrcAddr"));
    EXPECT_EQ(conn[4], flow("DstAddr"));
    EXPECT_EQ(conn[6], proto);
    if (proto == "icmp") {
      const uint64_t type_and_code = std::stoull(flow("Sport"), nullptr, 16);  // argus: 0x<code><type>
      EXPECT_EQ(conn[3], std::to_string(type_and_code & 0xff));
      EXPECT_EQ(conn[5], std::to_string(type_and_code >> 8));
    } else {
      EXPECT_EQ(conn[3], flow("Sport"));
      EXPECT_EQ(conn[5], flow("Dport"));
    }
    const auto orig_pkts = decimal(conn[16]), orig_ip = decimal(conn[17]), resp_pkts = decimal(conn[18]),
               resp_ip = decimal(conn[19]);
    ASSERT_TRUE(orig_pkts && orig_ip && resp_pkts && resp_ip);
    EXPECT_EQ(std::to_string(*orig_pkts + *resp_pkts), flow("TotPkts"));
    EXPECT_EQ(std::to_string(*orig_ip + 14 * *orig_pkts), flow("SrcBytes"));
    EXPECT_EQ(std::to_string(*orig_ip + *resp_ip + 14 * (*orig_pkts + *resp_pkts)), flow("TotBytes"));

    // Read back: the same values, except where a conn.log has no room for them. State
    // survives on every flow: its letters are sets of flags per side (no order), and history
    // holds each side's flags (S h A a D d F f R r) for the reader to map back.
    for (const char* name : {"StartTime", "Dur", "Proto", "SrcAddr", "Sport", "DstAddr", "State", "TotPkts",
                             "TotBytes", "SrcBytes"})
      EXPECT_EQ(again(name), flow(name)) << name;
    // ToS: Zeek does not log it.
    EXPECT_EQ(again("sTos"), "");
    EXPECT_EQ(again("dTos"), "");
    // Dport of ICMP: argus's echo id (or the quoted port of an unreachable); Zeek has neither.
    if (proto == "icmp") {
      ++counts.icmp;
      EXPECT_NE(flow("Dport"), "");
      EXPECT_EQ(again("Dport"), "");
    } else {
      EXPECT_EQ(again("Dport"), flow("Dport"));
    }
    // Dir survives, except for a TCP record without a SYN (State has no S): argus knew its
    // direction from an earlier record of the same connection (argus cuts a record at its
    // status interval), a conn.log row only has its own history, so "->" becomes unsure.
    std::string dir_expected = trimmed(flow("Dir"));
    const std::string& state = flow("State");
    if (proto == "tcp" && state.find('S') == std::string::npos) {
      const size_t underscore = state.find('_');
      const bool orig = underscore > 0, resp = underscore != std::string::npos && underscore + 1 < state.size();
      dir_expected = orig && resp ? "<?>" : orig ? "?>" : "<?";
    }
    EXPECT_EQ(trimmed(again("Dir")), dir_expected);
    counts.dir_changed += dir_expected != trimmed(flow("Dir"));
  }
}

TEST(ZeekCli, ExampleCaptureRoundTripsThroughAZeekLog) {
  const Example example;
  RoundTrip counts;
  round_trip(example.pcap, example.dir.path(), counts);
  EXPECT_EQ(counts.flows, 23687u);
  EXPECT_EQ(counts.not_in_log, 34u);  // ARP
  EXPECT_EQ(counts.icmp, 98u);
  EXPECT_EQ(counts.dir_changed, 1u);  // 192.168.1.66:59145 -> 203.0.113.66:6667 (IRC), its second hour
}

TEST(ZeekCli, Iot23CaptureRoundTripsThroughAZeekLog) {
  REQUIRE_FILE(iot23_42_1_pcap());
  TempDir dir;
  RoundTrip counts;
  round_trip(iot23_42_1_pcap(), dir.path(), counts);
  EXPECT_EQ(counts.flows, 3329u);
  EXPECT_EQ(counts.not_in_log, 18u);
  EXPECT_EQ(counts.icmp, 0u);
  EXPECT_EQ(counts.dir_changed, 0u);
}

// ---- 2. Zeek's format

TEST(ZeekCli, FlowsFormatZeekWritesZeeksConnLogFormat) {
  const Example example;
  const fs::path log = example.dir / "conn.log";
  const std::string before = stamp_now();
  const CommandResult made =
      run(botd() + " flows -q --window 0 --format zeek " + quote(example.pcap) + " -o " + quote(log));
  const std::string after = stamp_now();
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string text = read_file(log);
  std::string open, close;
  const std::vector<std::string> problems = conn_log_problems(text, &open, &close);
  EXPECT_TRUE(problems.empty()) << joined(problems);
  // #open and #close: the time of writing, UTC.
  EXPECT_LE(before, open);
  EXPECT_LE(open, close);
  EXPECT_LE(close, after);
  EXPECT_EQ(zeek_rows(text).size(), 23653u);

  // The checker sees a broken log: each change below is one problem.
  std::vector<std::string> lines = split(text, '\n');
  lines.pop_back();  // after the last line end
  const auto broken = [&](const std::function<void(std::vector<std::string>&)>& change) {
    std::vector<std::string> copy = lines;
    change(copy);
    return conn_log_problems(joined(copy)).size();
  };
  EXPECT_EQ(broken([](auto& l) { l.pop_back(); }), 1u);                                   // no #close
  EXPECT_EQ(broken([](auto& l) { l[1] = "#set_separator\t;"; }), 1u);
  EXPECT_EQ(broken([](auto& l) { std::swap(l[6], l[7]); }), 2u);                          // #types before #fields
  EXPECT_EQ(broken([](auto& l) { l[5] = "#open\t2025-13-01-00-00-00"; }), 1u);
  EXPECT_EQ(broken([](auto& l) { l[8] = l[8].substr(l[8].find('\t') + 1); }), 1u);        // a field short
  EXPECT_EQ(broken([](auto& l) { l[9] = l[8]; }), 1u);                                    // a uid twice
  EXPECT_EQ(broken([](auto& l) { l[8] += "\tX"; }), 1u);                                  // a field more
  const auto with_field = [&](size_t field, const std::string& value) {
    return broken([&](auto& l) {
      std::vector<std::string> row = split(l[8], '\t');
      row[field] = value;
      std::string line;
      for (const std::string& part : row) line += (line.empty() ? "" : "\t") + part;
      l[8] = line;
    });
  };
  EXPECT_EQ(with_field(0, "1741168805.69471"), 1u);  // five decimals
  EXPECT_EQ(with_field(0, "-"), 1u);                 // ts unset
  EXPECT_EQ(with_field(2, "192.168.1.300"), 1u);
  EXPECT_EQ(with_field(3, "65536"), 1u);
  EXPECT_EQ(with_field(6, "ipv6-icmp"), 1u);
  EXPECT_EQ(with_field(8, "1.5"), 1u);
  EXPECT_EQ(with_field(9, "(empty)"), 1u);
  EXPECT_EQ(with_field(11, "CON"), 1u);
  EXPECT_EQ(with_field(12, "true"), 1u);
  EXPECT_EQ(with_field(14, "-"), 1u);
  EXPECT_EQ(with_field(15, "Dx"), 1u);
  EXPECT_EQ(with_field(20, "a\\b"), 1u);
  EXPECT_EQ(with_field(20, "(empty)"), 0u);
  EXPECT_EQ(with_field(20, "a,b\\x2cc"), 0u);
}

// The checker on a log that Zeek wrote (so that it holds Zeek to nothing Zeek does not do), and
// on botd's log of the capture behind IoT-23 42-1.
TEST(ZeekCli, TheFormatCheckerPassesARealZeekLogAndBotdsIot23Log) {
  REQUIRE_FILE(android_rat_log());
  const std::string real = read_file(android_rat_log());
  EXPECT_TRUE(conn_log_problems(real).empty()) << joined(conn_log_problems(real));
  EXPECT_EQ(zeek_rows(real).size(), 361u);
  REQUIRE_FILE(iot23_42_1_pcap());
  TempDir dir;
  const CommandResult made = run(botd() + " flows -q --window 0 --format zeek " + quote(iot23_42_1_pcap()) +
                                 " -o " + quote(dir / "conn.log"));
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string text = read_file(dir / "conn.log");
  EXPECT_TRUE(conn_log_problems(text).empty()) << joined(conn_log_problems(text));
  EXPECT_EQ(zeek_rows(text).size(), 3311u);
}

// ---- 3. Every command on Zeek logs

// A model trained on Zeek logs: IoT-23 42-1 (its 6 Malicious flows are all in its first
// minutes, so the default validation part, the last 20% by time, has no botnet flow: train
// needs --validation 0) and a normal day of the Stratosphere normal captures (its Malicious
// rows are External-Attack-to-Device, left out).
fs::path train_zeek_model(const fs::path& dir) {
  const fs::path model = dir / "models" / "zeek.json";
  fs::create_directories(model.parent_path());
  const CommandResult trained = run(botd() + " train --validation 0 " + quote(iot23_42_1_log()) + " " +
                                    quote(normal_day8_log()) + " -o " + quote(model));
  EXPECT_EQ(trained.exit_code, 0) << trained.err;
  return model;
}

TEST(ZeekCli, FlowsReadsALabeledZeekLog) {
  REQUIRE_FILE(iot23_42_1_log());
  TempDir dir;
  const CommandResult flows = run(botd() + " flows " + quote(iot23_42_1_log()) + " -o " + quote(dir / "f.csv"));
  ASSERT_EQ(flows.exit_code, 0) << flows.err;
  EXPECT_EQ(flows.err, "botd: flows: 4426 flows\n");
  const Csv csv = read_csv(dir / "f.csv");
  ASSERT_EQ(csv.rows.size(), 4426u);
  std::map<std::string, size_t> labels;
  for (size_t i = 0; i < csv.rows.size(); ++i) ++labels[csv.at(i, "Label").substr(0, csv.at(i, "Label").find(' '))];
  EXPECT_EQ(labels, (std::map<std::string, size_t>{{"Benign", 4420}, {"Malicious", 6}}));
  EXPECT_EQ(csv.at(0, "Label"), "Malicious FileDownload");
  EXPECT_EQ(csv.at(0, "uid"), "CXY5uG2sSmjJ0grfY2");
}

TEST(ZeekCli, TrainOnZeekLogsNeedsValidationOffForIot23AndWritesAModel) {
  REQUIRE_FILE(iot23_42_1_log());
  REQUIRE_FILE(normal_day8_log());
  TempDir dir;
  const fs::path refused = dir / "refused.json";
  const CommandResult plain = run(botd() + " train " + quote(iot23_42_1_log()) + " -o " + quote(refused));
  EXPECT_EQ(plain.exit_code, 1);
  EXPECT_EQ(line_starting(plain, "botd: the validation part"),
            "botd: the validation part (the last 20% of the rows by time, 885 rows) has no botnet flows; give more "
            "data that covers both classes late in time, or train without validation (--validation 0)")
      << plain.err;
  EXPECT_FALSE(fs::exists(refused));

  const fs::path model = dir / "models" / "zeek.json";
  fs::create_directories(model.parent_path());
  const CommandResult trained = run(botd() + " train --validation 0 " + quote(iot23_42_1_log()) + " " +
                                    quote(normal_day8_log()) + " -o " + quote(model));
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  ASSERT_TRUE(fs::exists(model));
  // Zeek logs are in the order connections ended: a connection longer than an hour comes
  // after flows that started an hour later, too late for its windows (1 in 42-1, 7 in day 8).
  EXPECT_NE(line_starting(trained, "botd: warning: " + iot23_42_1_log().string() +
                                       ": 1 flows started more than 3600 s before a later one and missed windows "
                                       "already closed"),
            "")
      << trained.err;
  EXPECT_NE(line_starting(trained, "botd: warning: " + normal_day8_log().string() +
                                       ": 7 flows started more than 3600 s before a later one and missed windows "
                                       "already closed"),
            "")
      << trained.err;
  // 4426 + 5663 rows; labeled: 42-1's 4425 in time (6 Malicious) and day 8's Benign ones
  // (1402 less its 7 late), its 4201 External-Attack-to-Device and 60 Background left out.
  EXPECT_TRUE(has_line(trained, "botd: train: 10089 flows, 778 windows, 8 late flows; 5820 labeled rows"))
      << trained.err;
  EXPECT_TRUE(line_starting(trained, "botd: train: 5820 labeled rows").starts_with(
      "botd: train: 5820 labeled rows (6 botnet, 5814 normal); 300 rounds kept of 300; "))
      << trained.err;
  const CommandResult listed = run(botd() + " models --models " + quote(model.parent_path()));
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("5820 rows (6 botnet, 5814 normal)"), std::string::npos) << listed.out;
  for (const fs::path& input : {iot23_42_1_log(), normal_day8_log()})
    EXPECT_NE(listed.out.find("conn.log.labeled (" + std::to_string(fs::file_size(input)) + " bytes"),
              std::string::npos)
        << listed.out;
}

TEST(ZeekCli, ScoreReadsAZeekLogAlsoGzippedAndOnStdin) {
  REQUIRE_FILE(iot23_42_1_log());
  REQUIRE_FILE(normal_day8_log());
  TempDir dir;
  const fs::path model = train_zeek_model(dir.path());
  const std::string score = botd() + " score --model " + quote(model) + " ";
  const CommandResult plain = run(score + quote(iot23_42_1_log()));
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const Csv rows = parse_csv(plain.out);
  std::set<std::string> windows, hosts;
  for (size_t i = 0; i < rows.rows.size(); ++i) {
    windows.insert(rows.at(i, "window"));
    hosts.insert(rows.at(i, "host"));
  }
  EXPECT_EQ(rows.rows.size(), 285u);
  EXPECT_EQ(windows.size(), 198u);  // 8 h 20 min of 5-minute windows every 2.5 minutes
  EXPECT_EQ(hosts, (std::set<std::string>{"192.168.1.1", "192.168.1.197"}));
  EXPECT_TRUE(line_starting(plain, "botd: score: ").starts_with("botd: score: 4426 flows, 198 windows, 1 late flows; "))
      << plain.err;
  EXPECT_NE(plain.err.find(", 285 host rows, "), std::string::npos) << plain.err;

  // gzip, by name and through standard input: the same rows; messages name "stdin".
  const fs::path gz = dir / "conn.log.gz";
  const std::string text = read_file(iot23_42_1_log());
  gzFile out = gzopen(gz.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  gzwrite(out, text.data(), unsigned(text.size()));
  gzclose(out);
  const CommandResult gzipped = run(score + quote(gz));
  EXPECT_EQ(gzipped.exit_code, 0) << gzipped.err;
  EXPECT_TRUE(gzipped.out == plain.out) << "gzipped input scores differently";
  const CommandResult piped = run(score + "-", gz.string());
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_TRUE(piped.out == plain.out) << "stdin scores differently";
  EXPECT_NE(line_starting(piped, "botd: warning: stdin: 1 flows started more than 3600 s before a later one and "
                                 "missed windows already closed"),
            "")
      << piped.err;

  // The normal day's hosts are 147.32.0.0/16, not a private network: scored only with --lan.
  const CommandResult outside = run(score + quote(normal_day8_log()));
  EXPECT_EQ(outside.exit_code, 0) << outside.err;
  EXPECT_EQ(parse_csv(outside.out).rows.size(), 0u);
  const CommandResult inside = run(score + "--lan 147.32.0.0/16 " + quote(normal_day8_log()));
  EXPECT_EQ(inside.exit_code, 0) << inside.err;
  EXPECT_EQ(parse_csv(inside.out).rows.size(), 580u);  // one host, 580 windows
}

TEST(ZeekCli, ReportWithTheLabeledLogAsItsOwnTruth) {
  REQUIRE_FILE(iot23_42_1_log());
  REQUIRE_FILE(normal_day8_log());
  TempDir dir;
  const fs::path model = train_zeek_model(dir.path());
  const CommandResult result = run(botd() + " report -q --format json --model " + quote(model) + " --truth " +
                                   quote(iot23_42_1_log()) + " " + quote(iot23_42_1_log()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json report = json::parse(result.out);
  EXPECT_EQ(report["truth"], "1 infected host (labels of " + iot23_42_1_log().string() + ")");
  ASSERT_EQ(report["hosts"].size(), 2u);
  std::map<std::string, std::pair<uint64_t, uint64_t>> flows_and_windows;
  for (const json& host : report["hosts"]) flows_and_windows[host["host"]] = {host["flows"], host["windows_seen"]};
  // Every flow has 192.168.1.197 at one end (the late one is not counted).
  EXPECT_EQ(flows_and_windows, (decltype(flows_and_windows){{"192.168.1.197", {4425, 198}}, {"192.168.1.1", {1685, 87}}}));
  const json& metrics = report["metrics"]["zeek"];
  EXPECT_EQ(metrics["windows"], 198);
  EXPECT_EQ(metrics["hosts"]["infected"], 1);
  EXPECT_EQ(metrics["hosts"]["normal"], 1);
  EXPECT_EQ(report["windows"].size(), 198u);
}

TEST(ZeekCli, ACaptureTakesItsLabelsAndTruthFromItsZeekLog) {
  REQUIRE_FILE(iot23_42_1_pcap());
  REQUIRE_FILE(iot23_42_1_log());
  TempDir dir;
  // --labels: every IP flow of the capture finds its Zeek connection; the 18 ARP flows none.
  const CommandResult features = run(botd() + " flows --window 0 --features --labels " + quote(iot23_42_1_log()) +
                                     " " + quote(iot23_42_1_pcap()) + " -o " + quote(dir / "features.csv"));
  ASSERT_EQ(features.exit_code, 0) << features.err;
  EXPECT_TRUE(has_line(features, "botd: flows: 24484 packets, 2.5 MB, 3329 flows, 1 windows, 0 damaged, 0 late; "
                                 "3311 labeled rows"))
      << features.err;
  const Csv csv = read_csv(dir / "features.csv");
  ASSERT_EQ(csv.rows.size(), 3329u);
  std::map<std::pair<std::string, std::string>, size_t> by_proto_and_label;
  for (size_t i = 0; i < csv.rows.size(); ++i) ++by_proto_and_label[{csv.at(i, "Proto"), csv.at(i, "label")}];
  EXPECT_EQ(by_proto_and_label, (decltype(by_proto_and_label){
                                    {{"arp", ""}, 18}, {{"tcp", "0"}, 1505}, {{"tcp", "1"}, 5}, {{"udp", "0"}, 1801}}));
  // 3311 of 3329 flows labeled: 99.46%.

  // train from the capture with those labels (windowed: a flow is a row in its first window).
  const CommandResult trained = run(botd() + " train --validation 0 --labels " + quote(iot23_42_1_log()) + " " +
                                    quote(iot23_42_1_pcap()) + " -o " + quote(dir / "model.json"));
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_TRUE(line_starting(trained, "botd: train: 4034 labeled rows").starts_with(
      "botd: train: 4034 labeled rows (5 botnet, 4029 normal); "))
      << trained.err;

  // --truth: the capture's report, graded by the Zeek log's labels.
  const CommandResult report = run(botd() + " report -q --format json --model " + quote(dir / "model.json") +
                                   " --truth " + quote(iot23_42_1_log()) + " " + quote(iot23_42_1_pcap()));
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const json parsed = json::parse(report.out);
  EXPECT_EQ(parsed["truth"], "1 infected host (labels of " + iot23_42_1_log().string() + ")");
  EXPECT_EQ(parsed["metrics"]["model"]["windows"], 203);
  EXPECT_EQ(parsed["metrics"]["model"]["hosts"]["infected"], 1);
  EXPECT_EQ(parsed["metrics"]["model"]["hosts"]["normal"], 1);
}

// `botd flows --labels` without --features: the flows written should carry the labels joined
// from the labeled file, as the option's help says ("whose labels flows built from a capture
// take"). They do not: flows_from_capture (lib/pipeline/flows_job.cc) never uses the Labeler,
// so the Label column asked for stays empty and --labels is silently ignored.
// --labels (and --infected, --normal) label the feature matrix; plain flows from a capture
// have no Label to fill, so asking is one clear error, not a Label column left empty.
TEST(ZeekCli, LabelsWithoutFeaturesAreRefused) {
  REQUIRE_FILE(iot23_42_1_pcap());
  REQUIRE_FILE(iot23_42_1_log());
  TempDir dir;
  const CommandResult flows =
      run(botd() + " flows -q --window 0 --fields StartTime,Proto,SrcAddr,Sport,DstAddr,Dport,Label --labels " +
          quote(iot23_42_1_log()) + " " + quote(iot23_42_1_pcap()) + " -o " + quote(dir / "flows.csv"));
  EXPECT_EQ(flows.exit_code, 1);
  ASSERT_EQ(flows.err_lines().size(), 1u) << flows.err;
  EXPECT_NE(flows.err.find("label the feature matrix: add --features"), std::string::npos) << flows.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "flows.csv"));
}

// ---- 4. Bad input

// A conn.log of conn.log's columns (and a label column when `label` is given); rows start at
// line 9.
std::string conn_header(bool label = false) {
  std::string fields = "#fields", types = "#types";
  for (const ConnColumn& column : kConnColumns) {
    fields += std::string("\t") + column.name;
    types += std::string("\t") + column.type;
  }
  if (label) fields += "\tlabel", types += "\tstring";
  return "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
         "#open\t2024-01-01-00-00-00\n" + fields + "\n" + types + "\n";
}

std::string conn_row(int i, const std::string& label = "") {
  std::string row = std::to_string(1704067200 + i) + ".250000\tCtest" + std::to_string(i) + "\t10.0.0.1\t" +
                    std::to_string(40000 + i) +
                    "\t10.0.0.2\t53\tudp\tdns\t0.100000\t40\t80\tSF\t-\t-\t0\tDd\t1\t68\t1\t108\t-";
  if (!label.empty()) row += "\t" + label;
  return row + "\n";
}

const char* const kConnClose = "#close\t2024-01-01-01-00-00\n";

TEST(ZeekCli, BadZeekInputIsOneLineNamingFileAndLineAndNoOutput) {
  TempDir dir;
  const fs::path no_ts = dir / "no-ts.log", short_row = dir / "short-row.log", not_object = dir / "not-object.json";
  std::string header = conn_header();
  header.replace(header.find("#fields\tts\t"), 11, "#fields\ttime\t");
  write_text(no_ts, header + conn_row(0) + kConnClose);
  std::string cut = conn_row(2);
  cut.erase(cut.rfind('\t'));  // 20 fields
  write_text(short_row, conn_header() + conn_row(0) + conn_row(1) + cut + "\n" + conn_row(3) + kConnClose);
  write_text(not_object,
             R"({"ts":1704067200.25,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":40000,"id.resp_h":"10.0.0.2",)"
             R"("id.resp_p":53,"proto":"udp","orig_pkts":1,"orig_ip_bytes":68,"resp_pkts":1,"resp_ip_bytes":108})"
             "\n[1,2]\n");
  const std::vector<std::pair<fs::path, std::string>> cases = {
      {no_ts, no_ts.string() + ":7: the #fields line lacks the required column ts (columns: "
                               "time,uid,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,servi...)"},
      {short_row, short_row.string() + ":11: expected 21 fields, found 20"},
      {not_object, not_object.string() + ":2: not a JSON object: array"},
  };
  const std::set<fs::path> inputs = {no_ts, short_row, not_object};
  const fs::path output = dir / "out";
  for (const auto& [input, message] : cases) {
    for (const std::string command : {"flows", "score", "report", "train"}) {
      SCOPED_TRACE(command + " " + input.filename().string());
      const CommandResult result = run(botd() + " " + command + " " + quote(input) + " -o " + quote(output));
      EXPECT_EQ(result.exit_code, 1);
      EXPECT_EQ(result.err, "botd: " + message + "\n");
      EXPECT_EQ(result.out, "");
      EXPECT_FALSE(fs::exists(output));
      const std::vector<fs::path> files = files_under(dir.path());
      EXPECT_EQ(std::set<fs::path>(files.begin(), files.end()), inputs) << "a file left behind";
    }
  }

  // --skip-bad: the short row is counted and skipped, the other three are read.
  const CommandResult skipped =
      run(botd() + " flows --skip-bad " + quote(short_row) + " -o " + quote(dir / "skipped.csv"));
  EXPECT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_EQ(skipped.err, "botd: warning: skipped 1 bad rows; the first: " + short_row.string() +
                             ":11: expected 21 fields, found 20\nbotd: flows: 3 flows, 1 bad rows skipped\n");
  EXPECT_EQ(read_csv(dir / "skipped.csv").rows.size(), 3u);
}

TEST(ZeekCli, TrainRefusesAZeekLogWhoseLabelsItDoesNotKnow) {
  TempDir dir;
  const fs::path unknown = dir / "unknown.log", model = dir / "model.json";
  write_text(unknown, conn_header(true) + conn_row(0, "unknown") + conn_row(1, "unknown") + conn_row(2, "unknown") +
                          kConnClose);
  const CommandResult result = run(botd() + " train " + quote(unknown) + " -o " + quote(model));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "botd: " + unknown.string() +
                            ": no flow has a label botd knows (Label values such as 'unknown' are neither botnet nor "
                            "normal: botd reads CTU-13's From-Botnet, Normal and Background, and a Zeek log's "
                            "Malicious and Benign)\n");
  EXPECT_FALSE(fs::exists(model));
  EXPECT_EQ(files_under(dir.path()), std::vector<fs::path>{unknown});
  // The same log is good input for everything else.
  const CommandResult flows = run(botd() + " flows " + quote(unknown));
  EXPECT_EQ(flows.exit_code, 0) << flows.err;
  EXPECT_EQ(parse_csv(flows.out).rows.size(), 3u);
}

}  // namespace
}  // namespace botd::test
