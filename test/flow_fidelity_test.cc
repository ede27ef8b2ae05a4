// Fidelity of botd's flows to argus's (SPEC §4): on every shared capture argus can read,
// botd's whole-capture flows (--window 0) are matched with argus's by protocol, both ends
// and start time to the microsecond, and each column's agreement is measured and printed.
// The CTU-13 columns are compared with ../shared/data/argus-reference; the extended fields
// with a live `argus-flows --epoch --extended` run when argus is installed.
//
// BOTD_FIDELITY_VERBOSE=1 prints every unmatched or disagreeing flow.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>

#include "capture/packet_source.h"
#include "core/error.h"
#include "flow/windowed_flows.h"
#include "io/flow_file_reader.h"
#include "io/input_stream.h"
#include "test_support.h"

namespace botd {
namespace {

namespace fs = std::filesystem;

std::vector<FlowRecord> botd_flows(const fs::path& capture, bool extended) {
  std::vector<FlowRecord> flows;
  WindowSpec whole;
  whole.window_ns = 0;
  FlowTableOptions options;
  options.extended = extended;
  WindowedFlows builder(whole, options, [&](FlowRecord&& record) { flows.push_back(std::move(record)); });
  PacketSource source(capture.string());
  DecodedPacket packet;
  while (source.next(packet))
    if (packet.damage == Damage::none) builder.add(packet.view);
  builder.finish();
  return flows;
}

std::vector<FlowRecord> read_flows(const fs::path& file) {
  std::vector<FlowRecord> flows;
  FlowFileReader reader(InputStream::open(file.string()));
  FlowRecord record;
  while (reader.next(record)) flows.push_back(record);
  return flows;
}

// The match key: protocol, start microsecond, and the two ends in either order.
std::string match_key(const FlowRecord& f) {
  std::string a = f.src_addr + "/" + f.sport, b = f.dst_addr + "/" + f.dport;
  if (b < a) std::swap(a, b);
  return fmt::format("{} {} {} {}", f.proto, f.start_ns / 1000, a, b);
}

struct Agreement {
  uint64_t agree = 0, total = 0;
  double share() const { return total ? double(agree) / double(total) : 1.0; }
};

struct Fidelity {
  uint64_t argus_flows = 0, botd_flows = 0, matched = 0;
  std::map<std::string, Agreement> columns;  // by column name
  std::vector<std::string> column_order;
  void count(const std::string& column, bool agrees) {
    if (!columns.count(column)) column_order.push_back(column);
    Agreement& a = columns[column];
    ++a.total;
    a.agree += agrees;
  }
};

bool close_enough(double ours, double theirs, double relative) {
  if (std::isnan(ours) || std::isnan(theirs)) return std::isnan(ours) && std::isnan(theirs);
  return std::fabs(ours - theirs) <= relative * std::max(std::fabs(theirs), 1e-6) + 1e-6;
}

template <typename T>
bool same(const std::optional<T>& a, const std::optional<T>& b) {
  return a == b;
}

void compare_ctu13(const FlowRecord& ours, const FlowRecord& theirs, Fidelity& fidelity, bool verbose,
                   const std::string& capture) {
  const bool oriented = ours.src_addr == theirs.src_addr && ours.sport == theirs.sport;
  auto check = [&](const std::string& column, bool agrees, const std::string& ours_text, const std::string& theirs_text) {
    fidelity.count(column, agrees);
    if (!agrees && verbose)
      fmt::print("  {}: {} {}: botd {} argus {}\n", capture, match_key(theirs), column, ours_text, theirs_text);
  };
  auto text = [](const auto& value) { return value ? fmt::format("{}", *value) : std::string("-"); };
  check("TotPkts", same(ours.total_packets, theirs.total_packets), text(ours.total_packets), text(theirs.total_packets));
  check("TotBytes", same(ours.total_bytes, theirs.total_bytes), text(ours.total_bytes), text(theirs.total_bytes));
  check("SrcBytes", oriented && same(ours.src_bytes, theirs.src_bytes), text(ours.src_bytes), text(theirs.src_bytes));
  check("Src/Dst orientation", oriented, ours.src_addr, theirs.src_addr);
  check("State", ours.state == theirs.state, ours.state, theirs.state);
  check("Dir", ours.dir == theirs.dir, ours.dir, theirs.dir);
  check("Dur (1 us)", std::fabs(ours.duration_s.value_or(-1) - theirs.duration_s.value_or(-2)) <= 1.01e-6,
        text(ours.duration_s), text(theirs.duration_s));
  check("sTos", same(ours.stos, theirs.stos), text(ours.stos), text(theirs.stos));
  check("dTos", same(ours.dtos, theirs.dtos), text(ours.dtos), text(theirs.dtos));
}

void compare_extended(const FlowRecord& ours, const FlowRecord& theirs, Fidelity& fidelity, bool verbose,
                      const std::string& capture) {
  for (size_t i = 0; i < kExtendedFieldCount; ++i) {
    const std::string name(extended_field_info()[i].name);
    const bool agrees = close_enough(ours.extended[i], theirs.extended[i], 0.001);
    fidelity.count(name, agrees);
    if (!agrees && verbose)
      fmt::print("  {}: {} {}: botd {} argus {}\n", capture, match_key(theirs), name, ours.extended[i],
                 theirs.extended[i]);
  }
}

void compare(const std::vector<FlowRecord>& ours, const std::vector<FlowRecord>& theirs, bool extended,
             Fidelity& fidelity, const std::string& capture) {
  const bool verbose = std::getenv("BOTD_FIDELITY_VERBOSE") != nullptr;
  std::multimap<std::string, const FlowRecord*> by_key;
  for (const FlowRecord& flow : ours) by_key.emplace(match_key(flow), &flow);
  fidelity.argus_flows += theirs.size();
  fidelity.botd_flows += ours.size();
  for (const FlowRecord& reference : theirs) {
    auto it = by_key.find(match_key(reference));
    if (it == by_key.end()) {
      if (verbose) fmt::print("  {}: unmatched argus flow {} {} {}\n", capture, match_key(reference), reference.state,
                              reference.total_packets.value_or(0));
      continue;
    }
    ++fidelity.matched;
    if (extended) compare_extended(*it->second, reference, fidelity, verbose, capture);
    else compare_ctu13(*it->second, reference, fidelity, verbose, capture);
    by_key.erase(it);
  }
  if (verbose)
    for (const auto& [key, flow] : by_key) fmt::print("  {}: extra botd flow {} {}\n", capture, key, flow->state);
}

// Reference file -> capture path: "pcap-edge--name.pcap.argus.binetflow" -> "pcap-edge/name.pcap".
fs::path capture_of(const fs::path& reference) {
  std::string name = reference.filename().string();
  name.erase(name.size() - std::string(".argus.binetflow").size());
  const size_t separator = name.find("--");
  return test::data_dir() / name.substr(0, separator) / name.substr(separator + 2);
}

void print_table(const Fidelity& fidelity, const char* title) {
  fmt::print("\n{}: argus flows {}, botd flows {}, matched {} ({:.2f}%)\n", title, fidelity.argus_flows,
             fidelity.botd_flows, fidelity.matched, 100.0 * fidelity.matched / std::max<uint64_t>(1, fidelity.argus_flows));
  fmt::print("| column | agree | of matched | share |\n|---|---|---|---|\n");
  for (const std::string& column : fidelity.column_order) {
    const Agreement& a = fidelity.columns.at(column);
    fmt::print("| {} | {} | {} | {:.2f}% |\n", column, a.agree, a.total, 100 * a.share());
  }
}

TEST(FlowFidelity, AgreesWithArgusOnEverySharedCapture) {
  REQUIRE_DATA();
  Fidelity fidelity;
  for (const fs::path& reference : test::files_under(test::data_dir() / "argus-reference")) {
    if (reference.extension() != ".binetflow") continue;
    const fs::path capture = capture_of(reference);
    try {
      compare(botd_flows(capture, false), read_flows(reference), false, fidelity, capture.filename().string());
    } catch (const Error& error) {
      ADD_FAILURE() << error.what();
    }
  }
  print_table(fidelity, "CTU-13 columns, botd --window 0 vs argus-reference");
  EXPECT_GE(double(fidelity.matched) / double(fidelity.argus_flows), 0.99);
  for (const char* column : {"TotPkts", "TotBytes", "SrcBytes"}) EXPECT_GE(fidelity.columns[column].share(), 0.995) << column;
  for (const char* column : {"State", "Dir"}) EXPECT_GE(fidelity.columns[column].share(), 0.98) << column;
  EXPECT_GE(fidelity.columns["Dur (1 us)"].share(), 0.99);
}

TEST(FlowFidelity, ExtendedFieldsAgreeWithArgus) {
  REQUIRE_DATA();
  REQUIRE_TOOL("argus");
  Fidelity fidelity;
  const fs::path oracle = test::data_dir().parent_path() / "tools" / "argus-flows";
  test::TempDir dir;
  // argus idles about a second before it exits, so the oracle runs 16 at a time.
  std::vector<fs::path> captures;
  std::string commands;
  for (const fs::path& reference : test::files_under(test::data_dir() / "argus-reference")) {
    if (reference.extension() != ".binetflow") continue;
    captures.push_back(capture_of(reference));
    commands += fmt::format("{} --epoch --extended {} > {} 2>/dev/null\n", test::quote(oracle),
                            test::quote(captures.back()), test::quote(dir / fmt::format("{}.csv", captures.size())));
  }
  std::ofstream(dir / "commands") << commands;
  test::run("xargs -P 16 -d '\\n' -I CMD sh -c CMD < " + test::quote(dir / "commands"));
  for (size_t i = 0; i < captures.size(); ++i) {
    const fs::path argus_csv = dir / fmt::format("{}.csv", i + 1);
    if (fs::file_size(argus_csv) == 0) continue;  // argus wrote no flows for this capture
    compare(botd_flows(captures[i], true), read_flows(argus_csv), true, fidelity, captures[i].filename().string());
  }
  print_table(fidelity, "Extended fields (within 0.1%), botd --window 0 vs argus-flows --extended");
  EXPECT_GE(double(fidelity.matched) / double(fidelity.argus_flows), 0.99);
  for (const auto& [column, agreement] : fidelity.columns) EXPECT_GE(agreement.share(), 0.95) << column;
}

}  // namespace
}  // namespace botd
