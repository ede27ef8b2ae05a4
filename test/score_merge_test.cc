// Score files merged into one report (issue 15, SPEC §8): ScoreMerger's rules on rows made by
// hand, then `botd report` over the score files of time shards and of two sensors, against
// `botd report` over the whole capture.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/csv_reader.h"
#include "io/input_stream.h"
#include "score/score_merge.h"
#include "test_support.h"

namespace botd {
namespace {

namespace fs = std::filesystem;
constexpr int64_t s = 1'000'000'000;
constexpr int64_t kStart = 1'700'000'100 * s;  // a multiple of 150 s: on the epoch grid
const std::string kModel = "m";

using test::error_of;

ScoreRow row_of(const std::string& host, int64_t window, uint64_t flows, uint64_t flagged, double mean, double max,
                double risk, const std::string& sensor, const std::string& evidence = "") {
  ScoreRow row;
  row.window_start_ns = kStart + window * 150 * s;
  row.window_end_ns = row.window_start_ns + 300 * s;
  row.model = kModel;
  row.host = host;
  row.flows = flows;
  row.flagged_flows = flagged;
  row.new_flows = flows / 2;
  row.new_flagged_flows = flagged / 2;
  row.mean_probability = mean;
  row.max_probability = max;
  row.risk = risk;
  row.sensor = sensor;
  row.evidence = evidence;
  return row;
}

TEST(ScoreMerger, RowsOfTwoSensorsAddUpAndTheScoreIsRecomputedNotAveraged) {
  ScoreMerger merger(ScorePolicy(), WindowSpec{});
  merger.add(row_of("10.0.0.5", 0, 10, 4, 0.5, 0.95, 0.95, "edge", "4 IRC connections"), "a.csv");
  merger.add(row_of("10.0.0.5", 0, 5, 0, 0.2, 0.3, 0.3, "core"), "b.csv");
  const std::vector<ScoreRow> rows = merger.finish();
  ASSERT_EQ(rows.size(), 1u);
  const ScoreRow& row = rows[0];
  EXPECT_EQ(row.flows, 15u);
  EXPECT_EQ(row.flagged_flows, 4u);
  EXPECT_EQ(row.new_flows, 7u);  // 5 + 2
  EXPECT_EQ(row.new_flagged_flows, 2u);
  EXPECT_DOUBLE_EQ(row.mean_probability, 0.4);  // (10·0.5 + 5·0.2) / 15
  EXPECT_DOUBLE_EQ(row.max_probability, 0.95);
  EXPECT_DOUBLE_EQ(row.risk, 0.95);   // botd: the sensor that saw the bot
  EXPECT_DOUBLE_EQ(row.score, 0.285);  // 0.3 · 0.95, from no score before
  EXPECT_EQ(row.status, HostStatus::white);
  EXPECT_EQ(row.sensor, "core edge");
  EXPECT_EQ(row.evidence, "4 IRC connections");
  EXPECT_EQ(merger.rows_read(), 2u);
}

TEST(ScoreMerger, OriginalPolicyTakesTheShareOfFlaggedFlowsOfTheSums) {
  ScoreMerger merger(ScorePolicy(ScorePolicy::Kind::original), WindowSpec{});
  merger.add(row_of("10.0.0.5", 0, 10, 4, 0.5, 0.95, 0.4, "edge"), "a.csv");
  merger.add(row_of("10.0.0.5", 0, 5, 0, 0.2, 0.3, 0, "core"), "b.csv");
  const std::vector<ScoreRow> rows = merger.finish();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].risk, 0.266667);  // 4 / 15
}

// One sensor's rows, as `botd score` wrote them with the same policy, come back unchanged:
// the windows a host missed decay its score as they did when it was scored.
TEST(ScoreMerger, OneSensorsRowsComeBackWithTheirOwnScoresAndStatuses) {
  const ScorePolicy policy;
  HostTrack track;
  std::vector<ScoreRow> written;
  for (const auto& [window, risk] : std::vector<std::pair<int64_t, double>>{{0, 0.9}, {1, 0.95}, {2, 0.99}, {6, 0.9}}) {
    ScoreRow row = row_of("10.0.0.5", window, 10, 9, 0.8, risk, risk, "edge");
    row.status = policy.advance(track, window, risk);
    row.score = track.score;
    written.push_back(row);
  }
  ScoreMerger merger(policy, WindowSpec{});
  std::vector<ScoreRow> shuffled = written;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(3));
  for (const ScoreRow& row : shuffled) merger.add(row, "edge.csv");
  const std::vector<ScoreRow> merged = merger.finish();
  ASSERT_EQ(merged.size(), written.size());
  for (size_t i = 0; i < written.size(); ++i) {
    EXPECT_EQ(merged[i].window_start_ns, written[i].window_start_ns);
    EXPECT_EQ(merged[i].score, written[i].score) << "window " << i;
    EXPECT_EQ(merged[i].status, written[i].status) << "window " << i;
  }
  EXPECT_EQ(written[2].status, HostStatus::red);
  EXPECT_EQ(written[3].status, HostStatus::yellow);  // after three windows away
}

TEST(ScoreMerger, RowsComeModelByModelThenWindowThenHostAddress) {
  ScoreMerger merger(ScorePolicy(), WindowSpec{});
  ScoreRow other = row_of("10.0.0.10", 0, 1, 0, 0, 0, 0, "a");
  other.model = "second";
  merger.add(row_of("10.0.0.10", 1, 1, 0, 0, 0, 0, "a"), "a.csv");
  merger.add(other, "a.csv");
  merger.add(row_of("10.0.0.9", 1, 1, 0, 0, 0, 0, "a"), "a.csv");
  merger.add(row_of("10.0.0.10", 0, 1, 0, 0, 0, 0, "a"), "a.csv");
  std::vector<std::string> order;
  for (const ScoreRow& row : merger.finish())
    order.push_back(row.model + " " + std::to_string((row.window_start_ns - kStart) / (150 * s)) + " " + row.host);
  EXPECT_EQ(order, (std::vector<std::string>{"m 0 10.0.0.10", "m 1 10.0.0.9", "m 1 10.0.0.10", "second 0 10.0.0.10"}));
}

TEST(ScoreMerger, WholeCaptureRowsOfAHostAreOneWindow) {
  WindowSpec whole;
  whole.window_ns = 0;
  ScoreMerger merger(ScorePolicy(), whole);
  ScoreRow first = row_of("10.0.0.5", 0, 10, 0, 0.1, 0.2, 0.2, "a");
  ScoreRow later = row_of("10.0.0.5", 40, 3, 0, 0.1, 0.4, 0.4, "b");
  ScoreRow other = row_of("10.0.0.6", 20, 3, 0, 0.1, 0.1, 0.1, "b");
  later.window_end_ns += 77 * s;
  for (const ScoreRow& row : {first, later, other}) merger.add(row, "x.csv");
  const std::vector<ScoreRow> rows = merger.finish();
  ASSERT_EQ(rows.size(), 2u);
  for (const ScoreRow& row : rows) {
    EXPECT_EQ(row.window_start_ns, first.window_start_ns) << row.host;
    EXPECT_EQ(row.window_end_ns, later.window_end_ns) << row.host;
  }
  EXPECT_EQ(rows[0].flows, 13u);
  EXPECT_DOUBLE_EQ(rows[0].risk, 0.4);
}

TEST(ScoreMerger, RowsOfOtherWindowsAreRefusedWithWhatToDo) {
  ScoreMerger merger(ScorePolicy(), WindowSpec{});
  ScoreRow longer = row_of("10.0.0.5", 0, 1, 0, 0, 0, 0, "a");
  longer.window_end_ns += 300 * s;
  EXPECT_EQ(error_of([&] { merger.add(longer, "a.csv"); }),
            "a.csv: the window at 2023-11-14T22:15:00Z (host 10.0.0.5) is 600 s long, but the report's --window is "
            "300 s: report score files with the --window and --step they were made with");

  ScoreMerger off_grid(ScorePolicy(), WindowSpec{});
  ScoreRow shifted = row_of("10.0.0.5", 1, 1, 0, 0, 0, 0, "a");
  shifted.window_start_ns += 7 * s;
  shifted.window_end_ns += 7 * s;
  off_grid.add(row_of("10.0.0.5", 0, 1, 0, 0, 0, 0, "a"), "a.csv");
  off_grid.add(shifted, "b.csv");
  EXPECT_EQ(error_of([&] { off_grid.finish(); }),
            "b.csv: the window at 2023-11-14T22:17:37Z is not on the --step 150 s grid of the other score rows' "
            "windows (from 2023-11-14T22:15:00Z): windows aligned to each capture's first packet (--align first) do "
            "not line up; score the captures with --align epoch (the default), or report them with the --step they "
            "were made with");
}

}  // namespace

namespace test {
namespace {

// The columns of a report CSV that say who is ranked where and why: rank, model, host,
// status, first and last red window, windows seen and red, flows (not the scores, which the
// windows cut by a shard boundary move a little).
std::vector<std::string> ranking_of(const fs::path& report_csv) {
  std::vector<std::string> lines;
  std::unique_ptr<InputStream> input = InputStream::open(report_csv.string());
  CsvRecordReader csv(*input);
  std::vector<std::string_view> fields;
  while (csv.next()) {
    EXPECT_TRUE(csv.split(',', fields).empty());
    if (fields.size() < 11) continue;
    std::string line;
    for (const size_t column : {0, 1, 2, 3, 6, 7, 8, 9, 10}) line += std::string(fields[column]) + ",";
    lines.push_back(line);
  }
  return lines;
}

// `botd split --window SHARD --step SHARD` of `capture`, each shard scored alone, the score
// files merged by `botd report`: the ranking of `botd report` over the whole capture.
void expect_shards_rank_as_whole(const fs::path& capture, int shard_seconds, size_t shards, const TempDir& dir) {
  const std::string botd = botd_command();
  ASSERT_EQ(run(botd + " report -q " + quote(capture) + " -o " + quote(dir / "whole.csv")).exit_code, 0);
  const std::string shard = std::to_string(shard_seconds);
  const CommandResult split = run(botd + " split -q --window " + shard + " --step " + shard + " " + quote(capture) +
                                  " -o " + quote(dir / "shards"));
  ASSERT_EQ(split.exit_code, 0) << split.err;
  std::string scores;
  size_t count = 0;
  for (const fs::path& file : files_under(dir / "shards")) {
    if (file.extension() != ".pcap") continue;
    const fs::path out = dir / ("shard" + std::to_string(count++) + ".csv");
    const CommandResult score = run(botd + " score -q " + quote(file) + " -o " + quote(out));
    ASSERT_EQ(score.exit_code, 0) << score.err;
    scores += " " + quote(out);
  }
  ASSERT_EQ(count, shards);
  const CommandResult merged = run(botd + " report -q" + scores + " -o " + quote(dir / "merged.csv"));
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  const std::vector<std::string> whole = ranking_of(dir / "whole.csv");
  EXPECT_GT(whole.size(), 2u);
  EXPECT_EQ(ranking_of(dir / "merged.csv"), whole);
}

// The example (70 minutes, four bots) in three shards of 30 minutes, cut at 10:30 and 11:00.
TEST(ScoreMerge, TheExampleInThreeTimeShardsRanksAsTheWholeCapture) {
  ExampleCapture example;
  expect_shards_rank_as_whole(example.pcap, 1800, 3, example.dir);
}

// IoT-23 42-1 (8.4 hours, one infected host) in three shards of 4 hours, cut at 16:00 and 20:00.
TEST(ScoreMerge, ARealCaptureInThreeTimeShardsRanksAsTheWholeCapture) {
  REQUIRE_DATA();
  TempDir dir;
  expect_shards_rank_as_whole(data_dir() / "zeek/iot23-42-1-trojan/2019-01-10-14-34-38-192.168.1.197.pcap", 14400, 3,
                              dir);
}

// Two sensors, one seeing the whole LAN and one only two of its bots: the report lists both for
// the hosts both saw and one for the others; their rows add up (overlapping traffic counts
// twice: sensors are meant to see different links). One file holding both sensors' rows, in
// any order, gives the same report.
TEST(ScoreMerge, TwoSensorsAreListedForTheHostsBothSaw) {
  REQUIRE_TOOL("tcpdump");
  ExampleCapture example;
  const std::string botd = botd_command();
  const fs::path bots = example.dir / "bots.pcap";
  ASSERT_EQ(run("tcpdump -r " + quote(example.pcap) + " -w " + quote(bots) +
                " 'host 192.168.1.66 or host 192.168.1.67' 2>/dev/null")
                .exit_code,
            0);
  for (const auto& [sensor, capture] : {std::pair<std::string, fs::path>{"edge", example.pcap}, {"core", bots}}) {
    const CommandResult score = run(botd + " score -q --sensor " + sensor + " " + quote(capture) + " -o " +
                                    quote(example.dir / (sensor + ".csv")));
    ASSERT_EQ(score.exit_code, 0) << score.err;
  }
  const CommandResult report = run(botd + " report -q --format json " + quote(example.dir / "edge.csv") + " " +
                                   quote(example.dir / "core.csv"));
  ASSERT_EQ(report.exit_code, 0) << report.err;
  std::map<std::string, std::string> sensors;
  const nlohmann::json merged = nlohmann::json::parse(report.out);
  for (const nlohmann::json& host : merged["hosts"]) sensors[host["host"]] = host["sensors"];
  EXPECT_EQ(sensors["192.168.1.66"], "core edge");
  EXPECT_EQ(sensors["192.168.1.67"], "core edge");
  EXPECT_EQ(sensors["192.168.1.10"], "edge");

  // Both sensors' rows in one file (the header once), shuffled.
  std::vector<std::string> rows;
  std::string header;
  for (const char* sensor : {"edge.csv", "core.csv"}) {
    std::vector<std::string> lines = run("cat " + quote(example.dir / sensor)).out_lines();
    header = lines.at(0);
    rows.insert(rows.end(), lines.begin() + 1, lines.end());
  }
  std::shuffle(rows.begin(), rows.end(), std::mt19937(5));
  {
    std::ofstream one(example.dir / "both.csv");
    one << header << '\n';
    for (const std::string& row : rows) one << row << '\n';
  }
  const CommandResult from_one =
      run(botd + " report -q --format json " + quote(example.dir / "both.csv"));
  ASSERT_EQ(from_one.exit_code, 0) << from_one.err;
  // The same report but for the input's name.
  EXPECT_EQ(nlohmann::json::parse(from_one.out)["hosts"], nlohmann::json::parse(report.out)["hosts"]);
}

TEST(ScoreMerge, MixesRepeatsAndOtherWindowsAreRefusedWithOneLine) {
  ExampleCapture example;
  const std::string botd = botd_command();
  const fs::path scores = example.dir / "scores.csv";
  ASSERT_EQ(run(botd + " score -q " + quote(example.pcap) + " -o " + quote(scores)).exit_code, 0);

  // A score file from before rows named their sensor (no `sensor` column) is still read.
  const fs::path older = example.dir / "older.csv";
  ASSERT_EQ(run("cut -d, -f1-14 " + quote(scores) + " > " + quote(older)).exit_code, 0);
  const CommandResult from_older = run(botd + " report -q --format json " + quote(older));
  ASSERT_EQ(from_older.exit_code, 0) << from_older.err;
  EXPECT_EQ(nlohmann::json::parse(from_older.out)["hosts"][0]["sensors"], "");
  const fs::path out = example.dir / "report.csv";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {quote(scores) + " " + quote(example.pcap),
       example.pcap.string() + ": not a score file, but " + scores.string() +
           " is one: botd report merges several score files, or reads several captures as one, not a mix"},
      {quote(example.pcap) + " " + quote(scores),
       scores.string() + ": a score file, but " + example.pcap.string() +
           " is not: botd report merges several score files, or reads several captures as one, not a mix"},
      {quote(scores) + " " + quote(scores), scores.string() + ": given twice: its rows would count twice"},
      {"- " + quote(scores), "stdin cannot be one of several inputs: give the captures or score files by name"},
      {"--window 600 --step 300 " + quote(scores), ""},  // checked below: its message names the first row
  };
  for (const auto& [arguments, message] : cases) {
    const CommandResult result = run(botd + " report -q " + arguments + " -o " + quote(out) + " </dev/null");
    EXPECT_EQ(result.exit_code, 1) << arguments;
    ASSERT_EQ(result.err_lines().size(), 1u) << arguments << ": " << result.err;
    if (!message.empty())
      EXPECT_EQ(result.err_lines()[0], "botd: " + message);
    else
      EXPECT_NE(result.err.find("is 300 s long, but the report's --window is 600 s"), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(out)) << arguments;
  }
}

}  // namespace
}  // namespace test
}  // namespace botd
