// Golden outputs: botd's flows, features, scores and reports of the README's example and of
// CTU-13 scenario 6, compared by SHA-256 with what botd wrote before (test/golden/outputs.sha256).
// They protect every byte users see from an unintended change, whichever layer makes it.
//
// When a change is meant to change an output (a new default model, a new column), regenerate
// the digests and say why in the commit:
//   GOLDEN_PRINT=1 build/botd_tests --gtest_filter='Golden.*' | grep '^golden ' | cut -d' ' -f2-
// and put what it prints in test/golden/outputs.sha256.
// GOLDEN_BINARY=/path/to/another/botd runs another build's botd instead (how the digests were
// first taken, with the build from before the output layer).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "model/input_digest.h"
#include "test_support.h"

namespace botd {
namespace {

namespace fs = std::filesystem;

struct GoldenCommand {
  std::string output;  // the file botd writes, also the digest's name
  std::string arguments;
};

std::map<std::string, std::string> expected_digests() {
  std::map<std::string, std::string> digests;
  std::ifstream in(test::source_dir() / "test/golden/outputs.sha256");
  for (std::string digest, name; in >> digest >> name;) digests[name] = digest;
  return digests;
}

std::string sha256_of(const fs::path& path) {
  const std::string bytes = test::read_file(path);
  Sha256 digest;
  digest.update(bytes);
  return digest.hex_digest();
}

std::string golden_binary() {
  const char* other = std::getenv("GOLDEN_BINARY");
  return other != nullptr ? test::quote(other) : test::botd_command();
}

// Runs each command in `dir` (inputs given by relative names, so that reports name them the
// same way on every machine) and compares each output's digest.
void expect_golden(const fs::path& dir, const std::vector<GoldenCommand>& commands) {
  const std::map<std::string, std::string> expected = expected_digests();
  const bool print = std::getenv("GOLDEN_PRINT") != nullptr;
  for (const GoldenCommand& command : commands) {
    SCOPED_TRACE(command.output + ": botd " + command.arguments);
    const test::CommandResult result = test::run("cd " + test::quote(dir) + " && " + golden_binary() + " " +
                                                 command.arguments + " -q -o " + command.output);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const std::string digest = sha256_of(dir / command.output);
    if (print) std::printf("golden %s  %s\n", digest.c_str(), command.output.c_str());
    const auto it = expected.find(command.output);
    if (it == expected.end()) {
      ADD_FAILURE() << "no digest recorded for " << command.output;
      continue;
    }
    EXPECT_EQ(digest, it->second) << command.output << " differs from the golden output (see the top of this file)";
  }
}

TEST(Golden, ExampleFlowsAndFeatures) {
  test::ExampleCapture example;
  expect_golden(example.dir.path(), {
                                        {"ex-flows.csv", "flows example.pcap"},
                                        {"ex-flows.json", "flows example.pcap --format json"},
                                        {"ex-flows-ext-epoch.csv", "flows example.pcap --fields extended --epoch"},
                                        {"ex-flows-w0.csv", "flows example.pcap --window 0"},
                                        {"ex-features.csv", "flows example.pcap --features --infected-file example.truth"},
                                    });
}

// Score rows name the sensor that made them, by default the machine's host name: a fixed name
// keeps the digests the same on every machine.
const std::string kSensor = " --sensor golden";

TEST(Golden, ExampleScoresAndReports) {
  test::ExampleCapture example;
  expect_golden(example.dir.path(), {
                                        {"ex-score.csv", "score example.pcap" + kSensor},
                                        {"ex-score.json", "score example.pcap --format json" + kSensor},
                                        // One thread reads and scores what two do (BatchPipeline):
                                        // the same digest as ex-score.csv.
                                        {"ex-score-1-thread.csv", "score example.pcap --threads 1" + kSensor},
                                        {"ex-perflow.csv", "score example.pcap --per-flow"},
                                        {"ex-report.csv", "report example.pcap --truth example.truth" + kSensor},
                                        {"ex-report.json",
                                         "report example.pcap --truth example.truth --format json" + kSensor},
                                        {"ex-report.html",
                                         "report example.pcap --truth example.truth --format html" + kSensor},
                                        {"ex-report-of-scores.csv", "report ex-score.csv --truth example.truth"},
                                    });
}

TEST(Golden, Scenario6) {
  REQUIRE_DATA();
  test::TempDir dir;
  const fs::path scenario = test::data_dir() / "ctu13/scenario6-donbot";
  fs::create_symlink(scenario / "capture20110816.binetflow", dir / "scenario6.binetflow");
  fs::create_symlink(scenario / "capture20110816.binetflow.window01_1001-1006.binetflow", dir / "window01.binetflow");
  const std::string lan = " --lan 147.32.0.0/16";
  expect_golden(dir.path(), {
                                {"s6-flows.csv", "flows scenario6.binetflow"},
                                {"s6-window01-flows.json", "flows window01.binetflow --format json"},
                                {"s6-window01-features.csv", "flows window01.binetflow --features"},
                                {"s6-score.csv", "score scenario6.binetflow" + lan + kSensor},
                                {"s6-score.json", "score scenario6.binetflow --format json" + lan + kSensor},
                                // The same digest as s6-score.csv: 25 windows scored on one
                                // thread or while the next is read.
                                {"s6-score-1-thread.csv", "score scenario6.binetflow --threads 1" + lan + kSensor},
                                {"s6-report.csv", "report s6-score.csv --truth scenario6.binetflow"},
                                {"s6-report.json", "report s6-score.csv --truth scenario6.binetflow --format json"},
                                {"s6-report.html", "report s6-score.csv --truth scenario6.binetflow --format html"},
                            });
}

}  // namespace
}  // namespace botd
