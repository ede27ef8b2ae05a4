// botd-synth, the generator of the example and of test captures: deterministic, and its
// packets are plausible enough that tshark and argus read them without complaint.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "test_support.h"

namespace botd {
namespace {

using test::quote;
using test::synth_binary;


test::CommandResult synth(const std::filesystem::path& out, int seed) {
  return test::run(fmt::format("{} --seed {} -o {}", quote(synth_binary()), seed, quote(out)));
}

TEST(Synth, SameSeedSameBytes) {
  test::TempDir dir;
  ASSERT_EQ(synth(dir / "a.pcap", 7).exit_code, 0);
  ASSERT_EQ(synth(dir / "b.pcap", 7).exit_code, 0);
  ASSERT_EQ(synth(dir / "c.pcap", 8).exit_code, 0);
  const std::string a = test::read_file(dir / "a.pcap");
  EXPECT_GT(a.size(), 10'000'000u);
  EXPECT_EQ(a, test::read_file(dir / "b.pcap"));
  EXPECT_EQ(test::read_file(dir / "a.truth"), test::read_file(dir / "b.truth"));
  EXPECT_EQ(test::read_file(dir / "a.hosts.tsv"), test::read_file(dir / "b.hosts.tsv"));
  EXPECT_NE(a, test::read_file(dir / "c.pcap"));
  // Four bots, each with its active time range.
  int bots = 0;
  for (const std::string& line : test::CommandResult{0, test::read_file(dir / "a.truth"), ""}.out_lines())
    bots += !line.empty() && line[0] != '#';
  EXPECT_EQ(bots, 4);
}

TEST(Synth, TsharkFindsNoBadChecksumOrMalformedPacket) {
  REQUIRE_TOOL("tshark");
  test::TempDir dir;
  ASSERT_EQ(synth(dir / "s.pcap", 1).exit_code, 0);
  const auto checked = test::run(
      "tshark -n -r " + quote(dir / "s.pcap") +
      " -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE"
      " -Y 'ip.checksum.status==0 || tcp.checksum.status==0 || udp.checksum.status==0 ||"
      " icmp.checksum.status==0 || _ws.malformed || _ws.expert.severity==error' 2>&1 | grep -v 'Running as user'");
  EXPECT_EQ(checked.out, "");
}

TEST(Synth, ArgusReadsItWithoutErrors) {
  REQUIRE_TOOL("argus");
  REQUIRE_DATA();
  test::TempDir dir;
  ASSERT_EQ(synth(dir / "s.pcap", 1).exit_code, 0);
  const auto flows = test::run(quote(test::data_dir().parent_path() / "tools/argus-flows") + " " + quote(dir / "s.pcap"));
  EXPECT_EQ(flows.exit_code, 0);
  EXPECT_EQ(flows.err, "");
  EXPECT_GT(flows.out_lines().size(), 10'000u);
}

}  // namespace
}  // namespace botd
