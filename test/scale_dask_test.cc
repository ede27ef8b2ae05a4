// scripts/score-dask and scripts/train-dask (issue 15, parts 2 and 3) on a LocalCluster of two
// workers, against botd run alone on the same shared data: the same score rows and report as
// `botd score` in a loop, and a model that botd loads, whose probabilities Python's XGBoost
// reproduces and whose F1 on scenario 6's last 30% by time is `botd train`'s to 0.01. Skipped
// with a message when the shared data is missing or /usr/bin/python3 cannot import Dask.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "test_support.h"

namespace botd::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, with python3-dask, -distributed, -xgboost

#define REQUIRE_PYTHON_DASK()                                                                                     \
  do {                                                                                                             \
    if (run(std::string(kPython) + " -c 'import dask.dataframe, distributed, xgboost.dask'").exit_code != 0)      \
      GTEST_SKIP() << kPython << " cannot import dask.dataframe, distributed and xgboost.dask "                   \
                   << "(scripts/install-deps --test installs python3-dask, python3-distributed, python3-pandas)"; \
  } while (0)

std::string script(const std::string& name) { return quote(source_dir() / "scripts" / name); }

// Captures with LAN hosts from both folders (26 to 517 score rows each), the largest first, so
// that with two workers later captures finish before earlier ones.
std::vector<fs::path> twelve_captures() {
  const fs::path malware = data_dir() / "pcap-malware", normal = data_dir() / "pcap-normal";
  return {normal / "ndpi_1kxun.pcap",
          malware / "slips_test8-malicious_arp-only.pcap",
          malware / "zeek_nmap-vsn.pcap",
          normal / "ndpi_whatsapp.pcap",
          malware / "suricataverify_smb2-09_mta_input.pcap",
          normal / "zeek_ssh_ssh.pcap",
          normal / "ndpi_sites.pcapng",
          malware / "slips_test12-icmp-portscan.pcap",
          malware / "slips_test7-malicious_hide-and-seek-short.pcap",
          normal / "ndpi_netbios.pcap",
          normal / "ndpi_telegram.pcap",
          malware / "ndpi_tor.pcap"};
}

std::string joined(const std::vector<fs::path>& paths) {
  std::string text;
  for (const fs::path& path : paths) {  // not " " + quote(path): GCC 12 warns of it (-Wrestrict)
    text += ' ';
    text += quote(path);
  }
  return text;
}

// The names in `dir`, sorted: what the runs left there.
std::vector<std::string> leftovers(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ScoreDask, TwelveCapturesOnTwoWorkersGiveTheRowsAndReportOfBotdScoreInALoop) {
  REQUIRE_DATA();
  REQUIRE_PYTHON_DASK();
  const TempDir dir;
  const std::vector<fs::path> captures = twelve_captures();
  const std::string sensor = " --sensor dask-test";

  // `botd score` on each capture in turn, into one file: the first header, every capture's rows.
  std::string loop;
  size_t captures_with_rows = 0;
  for (const fs::path& capture : captures) {
    const CommandResult scored = run(botd_command() + " score -q" + sensor + " " + quote(capture));
    ASSERT_EQ(scored.exit_code, 0) << capture << ": " << scored.err;
    const size_t header_end = scored.out.find('\n') + 1;
    loop += loop.empty() ? scored.out : scored.out.substr(header_end);
    captures_with_rows += scored.out.size() > header_end;
  }
  EXPECT_EQ(captures_with_rows, captures.size());
  std::ofstream(dir / "loop.csv") << loop;

  const CommandResult dask = run(script("score-dask") + joined(captures) + " -o " + quote(dir / "dask.csv") +
                                 " --workers 2 --botd " + botd_command() + sensor);
  ASSERT_EQ(dask.exit_code, 0) << dask.err;
  EXPECT_EQ(dask.out, "") << "score-dask writes nothing on stdout";
  const std::string rows = read_file(dir / "dask.csv");
  EXPECT_GT(rows.size(), 100'000u);
  EXPECT_TRUE(rows == loop) << "score-dask's rows differ from the loop's";
  EXPECT_NE(rows.find(",dask-test\n"), std::string::npos) << "the sensor column";

  const CommandResult from_dask = run(botd_command() + " report -q " + quote(dir / "dask.csv"));
  const CommandResult from_loop = run(botd_command() + " report -q " + quote(dir / "loop.csv"));
  ASSERT_EQ(from_dask.exit_code, 0) << from_dask.err;
  ASSERT_EQ(from_loop.exit_code, 0) << from_loop.err;
  EXPECT_GT(from_dask.out_lines().size(), 100u) << from_dask.out;
  EXPECT_TRUE(from_dask.out == from_loop.out) << "the reports differ";
  EXPECT_EQ(leftovers(dir.path()), std::vector<std::string>({"dask.csv", "loop.csv"})) << "no temporary file";
}

TEST(ScoreDask, AFailingCaptureIsOneLineAndNoOutput) {
  REQUIRE_DATA();
  REQUIRE_PYTHON_DASK();
  const TempDir dir;
  std::vector<fs::path> captures = twelve_captures();
  captures.resize(4);
  const fs::path not_a_capture = data_dir() / "README.md";
  captures.insert(captures.begin() + 2, not_a_capture);
  const CommandResult failed = run(script("score-dask") + joined(captures) + " -o " + quote(dir / "scores.csv") +
                                   " --workers 2 --botd " + botd_command());
  EXPECT_EQ(failed.exit_code, 1);
  ASSERT_EQ(failed.err_lines().size(), 1u) << failed.err;
  EXPECT_EQ(failed.err.rfind("score-dask: " + not_a_capture.string() + ": botd score failed (exit 1): no header line",
                             0),
            0u)
      << failed.err;
  EXPECT_TRUE(leftovers(dir.path()).empty()) << "no output, no temporary file";

  // Bad command lines fail before any cluster starts.
  const CommandResult twice =
      run(script("score-dask") + joined({captures[0], captures[0]}) + " -o " + quote(dir / "scores.csv"));
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find(": given twice: its rows would count twice in the report"), std::string::npos) << twice.err;
  const CommandResult per_flow =
      run(script("score-dask") + joined({captures[0]}) + " -o " + quote(dir / "scores.csv") + " -- --per-flow");
  EXPECT_EQ(per_flow.exit_code, 2);
  EXPECT_NE(per_flow.err.find("--per-flow cannot follow --"), std::string::npos) << per_flow.err;
  EXPECT_TRUE(leftovers(dir.path()).empty());
}

// CTU-13 scenario 6 split by time as scripts/evaluate-model splits it: the rows sorted by
// StartTime (as text: every value has the same width), the first 70% one file, the rest another.
void split_scenario_six(const fs::path& train, const fs::path& test) {
  const std::string split = R"(import sys
source, train, test = sys.argv[1:4]
with open(source, newline="") as f:
    header = f.readline()
    rows = f.readlines()
starts = [row.split(",", 1)[0] for row in rows]
assert len({len(s) for s in starts}) == 1
order = sorted(range(len(rows)), key=starts.__getitem__)
cut = int(len(rows) * 0.7)
for path, part in ((train, order[:cut]), (test, order[cut:])):
    with open(path, "w", newline="") as f:
        f.write(header)
        f.writelines(rows[i] for i in part)
)";
  const fs::path source = data_dir() / "ctu13/scenario6-donbot/capture20110816.binetflow";
  const CommandResult done =
      run(std::string(kPython) + " -c " + quote(split) + " " + quote(source) + " " + quote(train) + " " + quote(test));
  ASSERT_EQ(done.exit_code, 0) << done.err;
}

// Compares, row by row, `botd score --per-flow` of both models (prob_dask, flag_dask, flag_botd)
// with Python's XGBoost prediction of the train-dask model on `botd flows --features` of the
// same flows; prints: rows, largest |botd - Python|, labeled rows, F1 of dask, F1 of botd.
constexpr const char* kCompare = R"(import sys
import numpy as np, pandas as pd, xgboost as xgb
model, features, scored = sys.argv[1:4]
identity = ["StartTime", "Proto", "SrcAddr", "Sport", "DstAddr", "Dport", "Window"]
booster = xgb.Booster(model_file=model)
names = booster.feature_names
rows = pd.read_csv(features, usecols=identity + names + ["label"], keep_default_na=False,
                   dtype={**{n: np.float32 for n in names}, **{n: str for n in identity}},
                   na_values={n: [""] for n in names + ["label"]})
printed = pd.read_csv(scored, usecols=identity + ["prob_dask", "flag_dask", "flag_botd"], dtype=str,
                      keep_default_na=False)
assert len(rows) == len(printed), (len(rows), len(printed))
assert (rows[identity].to_numpy() == printed[identity].to_numpy()).all(), "the rows' identities differ"
theirs = booster.predict(xgb.DMatrix(rows[names].to_numpy(), feature_names=names, missing=np.nan))
worst = np.abs(printed["prob_dask"].astype(np.float64).to_numpy() - theirs).max()
labeled = rows["label"].notna().to_numpy()
truth = rows["label"].to_numpy()[labeled] == 1
def f1(flags):
    flagged = printed[flags].to_numpy()[labeled] == "1"
    tp, fp, fn = np.sum(flagged & truth), np.sum(flagged & ~truth), np.sum(~flagged & truth)
    return 2 * tp / (2 * tp + fp + fn)
print(len(rows), worst, int(labeled.sum()), f1("flag_dask"), f1("flag_botd"))
)";

TEST(TrainDask, ScenarioSixOnTwoWorkersLoadsInBotdAndScoresAsBotdTrain) {
  REQUIRE_DATA();
  REQUIRE_PYTHON_DASK();
  const TempDir dir;
  const fs::path train = dir / "s6-train.binetflow", test = dir / "s6-test.binetflow";
  split_scenario_six(train, test);
  const fs::path features = dir / "train-features.csv", test_features = dir / "test-features.csv";
  ASSERT_EQ(run(botd_command() + " flows -q --features " + quote(train) + " -o " + quote(features)).exit_code, 0);
  ASSERT_EQ(run(botd_command() + " flows -q --features " + quote(test) + " -o " + quote(test_features)).exit_code, 0);

  // Both trainings with botd train's defaults (at most 300 rounds, early stopping after 50):
  // reading the CSV costs more than the rounds.
  const fs::path models = dir / "models";
  fs::create_directory(models);
  const fs::path stats = dir / "stats.json";
  const CommandResult dask = run(script("train-dask") + " " + quote(features) + " -o " + quote(models / "dask.json") +
                                 " --workers 2 --blocksize 16000000 --stats " + quote(stats));
  ASSERT_EQ(dask.exit_code, 0) << dask.err;
  // 280 MB of features in blocks of 16 MB: 17 partitions, said on stderr and in --stats.
  EXPECT_NE(dask.err.find("train-dask: 17 partitions of at most 16000000 bytes from 1 file(s) on 2 worker(s)"),
            std::string::npos)
      << dask.err;
  EXPECT_NE(read_file(stats).find("\"partitions\": 17,"), std::string::npos) << read_file(stats);
  const CommandResult botd_train = run(botd_command() + " train -q " + quote(train) + " -o " + quote(models / "botd.json"));
  ASSERT_EQ(botd_train.exit_code, 0) << botd_train.err;

  // botd lists it with the rows botd train counts (one per flow: the window whose first step
  // holds its start) and the same validation part.
  const CommandResult listed = run(botd_command() + " models --models " + quote(models));
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const std::string dask_listing = listed.out.substr(listed.out.find("dask  ("));
  EXPECT_NE(dask_listing.find("feature set  botd-flow-v1 (115 features)"), std::string::npos) << listed.out;
  EXPECT_NE(dask_listing.find("windows      300 s every 150 s"), std::string::npos) << listed.out;
  EXPECT_NE(dask_listing.find("trained on   7867 rows (3084 botnet, 4783 normal)"), std::string::npos) << listed.out;
  EXPECT_NE(dask_listing.find("on 1573 rows"), std::string::npos) << listed.out;
  EXPECT_NE(dask_listing.find("input        train-features.csv (280375880 bytes, sha256 "), std::string::npos)
      << listed.out;
  EXPECT_NE(listed.out.find("trained on   7867 rows (3084 botnet, 4783 normal)"), listed.out.rfind("trained on   7867"))
      << "botd train counts the same rows";

  const fs::path scored = dir / "scored.csv";
  const CommandResult scoring = run(botd_command() + " score -q --per-flow --models " + quote(models) + " " +
                                    quote(test) + " -o " + quote(scored));
  ASSERT_EQ(scoring.exit_code, 0) << scoring.err;
  const CommandResult compared = run(std::string(kPython) + " -c " + quote(kCompare) + " " +
                                     quote(models / "dask.json") + " " + quote(test_features) + " " + quote(scored));
  ASSERT_EQ(compared.exit_code, 0) << compared.err;
  std::istringstream result(compared.out);
  size_t rows = 0, labeled = 0;
  double worst = 1, f1_dask = 0, f1_botd = 0;
  result >> rows >> worst >> labeled >> f1_dask >> f1_botd;
  EXPECT_EQ(rows, 335352u);
  EXPECT_LE(worst, 1e-6) << "largest difference between botd's printed and Python's probabilities";
  EXPECT_GT(labeled, 8000u);
  EXPECT_GT(f1_botd, 0.9);
  EXPECT_NEAR(f1_dask, f1_botd, 0.01) << compared.out;
}

TEST(TrainDask, BadInputIsOneLineAndNoModel) {
  REQUIRE_DATA();
  REQUIRE_PYTHON_DASK();
  const TempDir dir;
  const fs::path flows = data_dir() / "ctu13/scenario6-donbot/capture20110816.binetflow.window01_1001-1006.binetflow";
  const fs::path labeled = dir / "labeled.csv", unlabeled = dir / "unlabeled.csv", model = dir / "model.json";
  ASSERT_EQ(run(botd_command() + " flows -q --features " + quote(flows) + " -o " + quote(labeled)).exit_code, 0);
  ASSERT_EQ(run(botd_command() + " flows -q --features --window 0 " + quote(data_dir() / "pcap-normal/ndpi_netbios.pcap") +
                " -o " + quote(unlabeled)).exit_code, 0);
  const auto expect_error = [&](const std::string& arguments, const std::string& message) {
    const CommandResult result = run(script("train-dask") + " " + arguments + " -o " + quote(model));
    EXPECT_EQ(result.exit_code, 1) << arguments;
    ASSERT_EQ(result.err_lines().size(), 1u) << result.err;
    EXPECT_EQ(result.err.rfind("train-dask: ", 0), 0u) << result.err;
    EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(model)) << arguments;
  };
  // Found before a cluster starts: one line and nothing else.
  expect_error(quote(flows), "not a feature file of `botd flows --features`");
  expect_error(quote(unlabeled), "unlabeled.csv: no label column: export labeled features");
  expect_error(quote(labeled) + " " + quote(labeled), "labeled.csv: given twice");
  // Found by the workers: the features were exported every 150 s, not every 300.
  expect_error(quote(labeled) + " --window 300 --step 300",
               "labeled.csv: its windows start 150 s apart, not every --step 300 s");
  EXPECT_EQ(leftovers(dir.path()), std::vector<std::string>({"labeled.csv", "unlabeled.csv"}));
}

}  // namespace
}  // namespace botd::test
