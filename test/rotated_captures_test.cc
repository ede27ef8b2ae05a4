// Several captures read as one (issue 14): tcpdump's rotated files (-G, -C), here cut with
// editcap, give what the whole capture gives, byte for byte, in any order; sets that are not
// one interface's rotation are refused with one line and exit 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "test_support.h"

namespace botd::test {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> parts_in(const fs::path& dir) {
  std::vector<fs::path> parts;
  for (const fs::path& file : files_under(dir))
    if (file.filename().string().starts_with("part")) parts.push_back(file);
  std::sort(parts.begin(), parts.end());
  return parts;
}

// Cuts `capture` with `editcap EDITCAP_ARGS` into dir/part_*.pcap; the parts in name (and time) order.
std::vector<fs::path> cut(const fs::path& capture, const std::string& editcap_args, const fs::path& dir) {
  const CommandResult result =
      run("editcap " + editcap_args + " " + quote(capture) + " " + quote(dir / "part.pcap") + " 2>/dev/null");
  EXPECT_EQ(result.exit_code, 0) << "editcap " << editcap_args;
  return parts_in(dir);
}

std::string joined(const std::vector<fs::path>& files) {
  std::string text;
  for (const fs::path& file : files) {
    text += ' ';
    text += quote(file);
  }
  return text;
}

// `botd ARGS INPUTS -o OUT` for the whole capture and for its parts (as given, then shuffled):
// the three outputs are the same bytes.
void expect_same_outputs(const fs::path& whole, const std::vector<fs::path>& parts, const std::string& args,
                         const fs::path& dir) {
  std::vector<fs::path> shuffled = parts;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
  std::vector<std::string> outputs;
  for (const std::string& inputs : {joined({whole}), joined(parts), joined(shuffled)}) {
    const fs::path out = dir / ("out" + std::to_string(outputs.size()));
    const CommandResult result = run(botd_command() + " " + args + " -q" + inputs + " -o " + quote(out));
    ASSERT_EQ(result.exit_code, 0) << args << inputs << ": " << result.err;
    outputs.push_back(read_file(out));
  }
  EXPECT_GT(outputs[0].size(), 100u) << args;
  EXPECT_TRUE(outputs[1] == outputs[0]) << args << ": the parts in order differ from the whole capture";
  EXPECT_TRUE(outputs[2] == outputs[0]) << args << ": the parts shuffled differ from the whole capture";
}

TEST(RotatedCaptures, TheExampleCutIntoSevenFilesByCountGivesTheWholeCapturesOutputs) {
  REQUIRE_TOOL("editcap");
  const ExampleCapture example;
  // 159,104 packets: 7 files of at most 22,730.
  const std::vector<fs::path> parts = cut(example.pcap, "-c 22730", example.dir.path());
  ASSERT_EQ(parts.size(), 7u);
  expect_same_outputs(example.pcap, parts, "report --truth " + quote(example.truth), example.dir.path());
  expect_same_outputs(example.pcap, parts, "score", example.dir.path());
  expect_same_outputs(example.pcap, parts, "flows", example.dir.path());
  expect_same_outputs(example.pcap, parts, "flows --window 0", example.dir.path());
}

TEST(RotatedCaptures, ARealCaptureCutByTimeGivesTheWholeCapturesReport) {
  REQUIRE_DATA();
  REQUIRE_TOOL("editcap");
  // IoT-23 42-1: 24,484 packets over 8.4 hours; its last packet is cut off (a warning only).
  const fs::path capture = data_dir() / "zeek/iot23-42-1-trojan/2019-01-10-14-34-38-192.168.1.197.pcap";
  const TempDir dir;
  const std::vector<fs::path> parts = cut(capture, "-i 4320", dir.path());
  ASSERT_EQ(parts.size(), 7u);
  // The CSV report: the JSON and HTML ones also name their input, "part_00000_... and 6 more
  // captures" here.
  expect_same_outputs(capture, parts, "report", dir.path());
  expect_same_outputs(capture, parts, "score --format json", dir.path());
  expect_same_outputs(capture, parts, "flows", dir.path());
}

TEST(RotatedCaptures, SetsThatAreNotOneRotationAreOneLineAndExitOne) {
  REQUIRE_TOOL("editcap");
  const ExampleCapture example;
  const std::vector<fs::path> parts = cut(example.pcap, "-c 60000", example.dir.path());
  ASSERT_EQ(parts.size(), 3u);
  const fs::path out = example.dir / "report.csv";
  struct Case {
    std::string inputs, says;
  };
  std::vector<Case> cases = {
      {quote(example.pcap) + " " + quote(parts[1]), "the captures overlap"},
      {quote(parts[0]) + " " + quote(parts[0]), "given twice"},
      {quote(parts[0]) + " " + quote(example.truth), "not a capture"},
      {"- " + quote(parts[0]) + " < " + quote(parts[1]), "stdin cannot be one of several"},
  };
  if (have_data())
    cases.push_back({quote(parts[0]) + " " + quote(data_dir() / "pcap-malware/ndpi_log4j-webapp-exploit.pcap"),
                     "several captures are read as one only when they come from one interface"});
  for (const Case& c : cases) {
    const CommandResult result = run(botd_command() + " report -q -o " + quote(out) + " " + c.inputs);
    EXPECT_EQ(result.exit_code, 1) << c.inputs;
    ASSERT_EQ(result.err_lines().size(), 1u) << c.inputs << ": " << result.err;
    EXPECT_NE(result.err.find(c.says), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(out)) << c.inputs << ": a failed run left an output";
  }
}

}  // namespace
}  // namespace botd::test
