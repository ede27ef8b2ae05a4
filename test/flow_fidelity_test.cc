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
#include <iostream>
#include <map>

#include "capture/packet_source.h"
#include "core/error.h"
#include "core/time_format.h"
#include "flow/windowed_flows.h"
#include "flow/flow_file_reader.h"
#include "io/input_stream.h"
#include "flow_compare.h"
#include "test_support.h"

namespace botd {
namespace {

namespace fs = std::filesystem;

WindowSpec whole_capture() {
  WindowSpec whole;
  whole.window_ns = 0;
  return whole;
}

std::vector<FlowRecord> botd_flows(const fs::path& capture, bool extended, WindowSpec windows = whole_capture()) {
  std::vector<FlowRecord> flows;
  FlowTableOptions options;
  options.extended = extended;
  WindowedFlows builder(windows, options, [&](FlowRecord&& record) { flows.push_back(std::move(record)); });
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

// Reference file -> capture path: "pcap-edge--name.pcap.argus.binetflow" -> "pcap-edge/name.pcap".
fs::path capture_of(const fs::path& reference) {
  std::string name = reference.filename().string();
  name.erase(name.size() - std::string(".argus.binetflow").size());
  const size_t separator = name.find("--");
  return test::data_dir() / name.substr(0, separator) / name.substr(separator + 2);
}

TEST(FlowFidelity, AgreesWithArgusOnEverySharedCapture) {
  REQUIRE_DATA();
  test::Fidelity fidelity;
  for (const fs::path& reference : test::files_under(test::data_dir() / "argus-reference")) {
    if (reference.extension() != ".binetflow") continue;
    const fs::path capture = capture_of(reference);
    try {
      test::compare_flows(botd_flows(capture, false), read_flows(reference), false, fidelity, capture.filename().string());
    } catch (const Error& error) {
      ADD_FAILURE() << error.what();
    }
  }
  test::print_fidelity(fidelity, "CTU-13 columns, botd --window 0 vs argus-reference");
  EXPECT_GE(fidelity.matched_share(), 0.99);
  for (const char* column : {"TotPkts", "TotBytes", "SrcBytes"}) EXPECT_GE(fidelity.columns[column].share(), 0.995) << column;
  for (const char* column : {"State", "Dir"}) EXPECT_GE(fidelity.columns[column].share(), 0.98) << column;
  EXPECT_GE(fidelity.columns["Dur (1 us)"].share(), 0.99);
}

// The addresses as numbers (FlowRecord::src_ip, dst_ip) are those of the text, in every record
// the flow builder makes from a shared capture and the reader reads from argus's flows of it
// and from the Zeek logs: a report asks the numbers whether a host is in the LAN.
TEST(FlowFidelity, EveryRecordCarriesTheNumbersOfItsAddressText) {
  REQUIRE_DATA();
  size_t records = 0, ipv6 = 0, without_numbers = 0;
  const auto check = [&](const std::vector<FlowRecord>& flows, const std::string& origin) {
    for (const FlowRecord& flow : flows) {
      ++records;
      ASSERT_EQ(flow.src_ip, IpAddress::parse(flow.src_addr)) << origin << ": " << flow.src_addr;
      ASSERT_EQ(flow.dst_ip, IpAddress::parse(flow.dst_addr)) << origin << ": " << flow.dst_addr;
      ipv6 += flow.src_ip && !flow.src_ip->is_v4();
      without_numbers += !flow.src_ip;
    }
  };
  for (const fs::path& reference : test::files_under(test::data_dir() / "argus-reference")) {
    if (reference.extension() != ".binetflow") continue;
    check(botd_flows(capture_of(reference), false), capture_of(reference).string());
    check(read_flows(reference), reference.string());
  }
  for (const fs::path& log : test::files_under(test::data_dir() / "zeek"))
    if (log.filename().string().starts_with("conn.log")) check(read_flows(log), log.string());
  std::cout << records << " records, " << ipv6 << " from IPv6 sources, " << without_numbers
            << " from MAC sources\n";
  EXPECT_GT(records, 100000u);
  EXPECT_GT(ipv6, 0u);             // both families,
  EXPECT_GT(without_numbers, 0u);  // and MAC addresses, which have none
}

TEST(FlowFidelity, ExtendedFieldsAgreeWithArgus) {
  REQUIRE_DATA();
  REQUIRE_TOOL("argus");
  test::Fidelity fidelity;
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
    test::compare_flows(botd_flows(captures[i], true), read_flows(argus_csv), true, fidelity, captures[i].filename().string());
  }
  test::print_fidelity(fidelity, "Extended fields (within 0.1%), botd --window 0 vs argus-flows --extended");
  EXPECT_GE(fidelity.matched_share(), 0.99);
  for (const auto& [column, agreement] : fidelity.columns) EXPECT_GE(agreement.share(), 0.95) << column;
}

// Windowed flows (SPEC §3–§4): botd's flows of each window equal argus's flows of that
// window's capture cut out with `editcap -A START -B END`. The reorder allowance is set
// beyond any capture's disorder, so that botd places every packet as editcap selects it.
void check_windowed_fidelity(const fs::path& capture, const std::string& name) {
  WindowSpec windows;
  windows.align = WindowAlign::first;
  windows.reorder_ns = 86400 * kNanosPerSecond;
  std::map<int64_t, std::vector<FlowRecord>> ours;  // by window start
  for (FlowRecord& flow : botd_flows(capture, false, windows)) ours[*flow.window_start_ns].push_back(std::move(flow));
  ASSERT_GE(ours.size(), 5u) << "a capture longer than 10 minutes has several windows";

  // Cut every window, then run argus on the cuts 16 at a time (it idles a second at exit).
  const fs::path oracle = test::data_dir().parent_path() / "tools" / "argus-flows";
  test::TempDir dir;
  std::string commands;
  for (const auto& [start_ns, flows] : ours) {
    const int64_t end_ns = start_ns + windows.window_ns;
    const fs::path cut = dir / fmt::format("{}.pcapng", start_ns);
    const auto editcap = test::run(fmt::format("editcap -A {}.{:09d} -B {}.{:09d} {} {}", start_ns / kNanosPerSecond,
                                               start_ns % kNanosPerSecond, end_ns / kNanosPerSecond,
                                               end_ns % kNanosPerSecond, test::quote(capture), test::quote(cut)));
    ASSERT_EQ(editcap.exit_code, 0) << editcap.err;
    commands += fmt::format("{} --epoch {} > {}.csv\n", test::quote(oracle), test::quote(cut), test::quote(cut));
  }
  std::ofstream(dir / "commands") << commands;
  test::run("xargs -P 16 -d '\\n' -I CMD sh -c CMD < " + test::quote(dir / "commands"));

  test::Fidelity fidelity;
  for (const auto& [start_ns, flows] : ours) {
    const fs::path argus_csv = dir / fmt::format("{}.pcapng.csv", start_ns);
    test::compare_flows(flows, read_flows(argus_csv), false, fidelity,
                        fmt::format("{} window {}", name, start_ns / kNanosPerSecond));
  }
  test::print_fidelity(fidelity, fmt::format("{}: {} windows of 300 s every 150 s", name, ours.size()));
  EXPECT_GE(fidelity.matched_share(), 0.99);
  for (const char* column : {"TotPkts", "TotBytes", "SrcBytes"}) EXPECT_GE(fidelity.columns[column].share(), 0.995) << column;
  for (const char* column : {"State", "Dir"}) EXPECT_GE(fidelity.columns[column].share(), 0.98) << column;
  EXPECT_GE(fidelity.columns["Dur (1 us)"].share(), 0.99);
}

// Real captures longer than ten minutes: VoIP with SIP and RTP (26 min), and Linux-cooked
// TCP with packets out of order (25 min).
class WindowedFidelity : public ::testing::TestWithParam<const char*> {};

TEST_P(WindowedFidelity, EachWindowHasArgussFlowsOfItsEditcapCut) {
  REQUIRE_DATA();
  REQUIRE_TOOL("argus");
  REQUIRE_TOOL("editcap");
  check_windowed_fidelity(test::data_dir() / GetParam(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(LongCaptures, WindowedFidelity,
                         ::testing::Values("pcap-normal/ndpi_sip.pcap", "pcap-edge/ndpi_reasm_crash_anon.pcapng"));

// And the 70-minute synthetic LAN (botd-synth), for a window with thousands of flows.
TEST(WindowedFidelity, SyntheticLanOfSeventyMinutes) {
  REQUIRE_DATA();  // for the argus-flows oracle
  REQUIRE_TOOL("argus");
  REQUIRE_TOOL("editcap");
  test::TempDir dir;
  const auto synth = test::run(test::quote(test::synth_binary()) + " --seed 1 -o " + test::quote(dir / "lan.pcap"));
  ASSERT_EQ(synth.exit_code, 0) << synth.err;
  check_windowed_fidelity(dir / "lan.pcap", "botd-synth --seed 1");
}

}  // namespace
}  // namespace botd
