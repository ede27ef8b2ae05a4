// `botd train`, `botd models` and `botd score --per-flow` end to end, on the generated example
// capture: deterministic models, the shipped default model, and bad input (exit 1, one line).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_support.h"

namespace botd::test {
namespace {

std::string botd() { return botd_command(); }
using Example = ExampleCapture;

constexpr const char* kHosts = " --infected 192.168.1.66,192.168.1.67 --normal 192.168.1.10,192.168.1.11";

TEST(Train, TwiceGivesTheSameBytesWhateverTheThreads) {
  const Example example;
  const std::string train = botd() + " train -q --rounds 40 " + quote(example.pcap) + kHosts + " -o ";
  ASSERT_EQ(run(train + quote(example.dir / "a.json")).exit_code, 0);
  ASSERT_EQ(run(train + quote(example.dir / "b.json") + " --threads 1").exit_code, 0);
  const std::string a = read_file(example.dir / "a.json");
  EXPECT_GT(a.size(), 10'000u);
  EXPECT_TRUE(a == read_file(example.dir / "b.json")) << "two trainings differ";
}

TEST(Train, ShippedDefaultModelIsListedWithItsMetadata) {
  const CommandResult listed = run(botd() + " models");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("botd-default"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("botd-flow-v1"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("capture20110816.binetflow"), std::string::npos) << "training inputs: " << listed.out;
}

// `--host-model` keeps a host-window model inside the model file; `botd models` shows it and
// `botd score` takes each host's risk from it (docs/detection.md), not from its flows' highest
// probability; without the flag there is none.
TEST(Train, HostModelIsTrainedOnRequestAndScores) {
  const Example example;
  const auto folder = example.dir / "models";
  std::filesystem::create_directory(folder);
  const std::string train = botd() + " train -q --rounds 40 " + quote(example.pcap) + kHosts;
  const CommandResult trained = run(train + " --host-model -o " + quote(folder / "with.json"));
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  ASSERT_EQ(run(train + " -o " + quote(folder / "without.json")).exit_code, 0);
  const CommandResult listed = run(botd() + " models --models " + quote(folder));
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("host model   botd-host-v2 (25 features)"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("host model   none"), std::string::npos) << listed.out;

  const CommandResult scored =
      run(botd() + " score -q " + quote(example.pcap) + " --model " + quote(folder / "with.json"));
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  // window,window_end,model,host,flows,flagged_flows,new_flows,new_flagged_flows,mean_probability,max_probability,risk,...
  size_t bot_rows = 0, risk_from_host_model = 0;
  std::istringstream lines(scored.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(",192.168.1.66,") == std::string::npos) continue;
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    ++bot_rows;
    risk_from_host_model += cells.at(10) != cells.at(9);
  }
  EXPECT_GT(bot_rows, 20u);
  EXPECT_GT(risk_from_host_model, bot_rows / 2) << scored.out;
  EXPECT_NE(scored.out.find(",192.168.1.66,"), std::string::npos);
  EXPECT_NE(scored.out.find("red,scans"), std::string::npos) << "the spammer's evidence starts with its behaviour";
}

TEST(Train, BadInputIsOneLineAndNoModel) {
  const Example example;
  const auto model = example.dir / "model.json";
  const auto expect_error = [&](const std::string& command, const std::string& message) {
    const CommandResult result = run(command);
    EXPECT_EQ(result.exit_code, 1) << command;
    ASSERT_EQ(result.err_lines().size(), 1u) << result.err;
    EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
    EXPECT_FALSE(std::filesystem::exists(model));
  };
  const std::string train = botd() + " train -q -o " + quote(model) + " ";
  expect_error(train + quote(example.pcap) + " --normal 192.168.1.10", "no positive (botnet) labels among");
  expect_error(train + quote(example.pcap) + " --infected 192.168.1.66", "no negative (normal) labels among");
  expect_error(train + quote(example.pcap), "no labels: the flows have no Label column");

  // A flow file whose label column botd does not know, and one whose labels it does not know:
  // one DNS flow each, its last column named `last_column` and holding `value`.
  const auto one_flow_file = [&](const std::string& name, const std::string& last_column, const std::string& value) {
    const auto path = example.dir / name;
    std::ofstream(path) << "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,"
                           "SrcBytes,"
                        << last_column << "\n2011/08/16 10:01:46.972101,0.000,udp,10.0.0.1,53,<->,10.0.0.2,53,CON,0,0,"
                                          "2,200,100,"
                        << value << "\n";
    return path;
  };
  expect_error(train + quote(one_flow_file("verdict.binetflow", "Verdict", "flow=From-Botnet-V42-UDP-DNS")),
               "verdict.binetflow: no labels: the flows have no Label column");
  expect_error(train + quote(one_flow_file("suspicious.binetflow", "Label", "suspicious")),
               "Label values such as 'suspicious' are neither botnet nor normal");
  const auto empty = example.dir / "empty.binetflow";
  std::ofstream{empty};
  expect_error(train + quote(empty), "empty.binetflow: empty file (0 bytes)");

  // A model file cut short, and a JSON file that is no model.
  const auto cut = example.dir / "cut.json";
  ASSERT_EQ(run("head -c 2000 " + quote(source_dir() / "models/botd-default.json") + " > " + quote(cut)).exit_code, 0);
  const auto scored = example.dir / "scored.csv";
  const CommandResult corrupt = run(botd() + " score --per-flow -q --model " + quote(cut) + " " + quote(example.pcap) +
                                    " -o " + quote(scored));
  EXPECT_EQ(corrupt.exit_code, 1);
  ASSERT_EQ(corrupt.err_lines().size(), 1u) << corrupt.err;
  EXPECT_NE(corrupt.err.find("cut.json: not JSON"), std::string::npos) << corrupt.err;
  EXPECT_FALSE(std::filesystem::exists(scored));
  const auto folder = example.dir / "models";
  std::filesystem::create_directory(folder);
  std::ofstream(folder / "foreign.json") << R"({"learner": 3})";
  const CommandResult foreign = run(botd() + " models --models " + quote(folder));
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_NE(foreign.err.find("foreign.json: JSON, but not an XGBoost model"), std::string::npos) << foreign.err;
}


// The issue's interoperability check, through the commands: Debian's Python XGBoost loads the
// shipped model and, on `botd flows --features` output, predicts what `botd score --per-flow`
// printed, row for row.
TEST(Train, PythonPredictsFromFlowsFeaturesWhatScorePerFlowPrints) {
  if (run("/usr/bin/python3 -c 'import xgboost'").exit_code != 0)
    GTEST_SKIP() << "/usr/bin/python3 cannot import xgboost (scripts/install-deps --test installs it)";
  const Example example;
  const auto model = source_dir() / "models/botd-default.json";
  const auto features = example.dir / "features.csv", scored = example.dir / "scored.csv";
  ASSERT_EQ(run(botd() + " flows -q --features " + quote(example.pcap) + " -o " + quote(features)).exit_code, 0);
  ASSERT_EQ(run(botd() + " score -q --per-flow --model " + quote(model) + " " + quote(example.pcap) + " -o " +
                quote(scored)).exit_code, 0);
  const auto script = example.dir / "compare.py";
  std::ofstream(script) << R"(import csv, sys
import numpy as np, xgboost as xgb
model, features, scored = sys.argv[1:4]
booster = xgb.Booster(model_file=model)
names = booster.feature_names
with open(features) as f:
    rows = list(csv.reader(f))
at = [rows[0].index(name) for name in names]
identity = [rows[0].index(name) for name in ("StartTime", "Proto", "SrcAddr", "Sport", "DstAddr", "Dport")]
matrix = np.array([[float(row[i]) if row[i] != "" else np.nan for i in at] for row in rows[1:]], dtype=np.float32)
theirs = booster.predict(xgb.DMatrix(matrix, feature_names=names, missing=np.nan))
with open(scored) as f:
    printed = list(csv.reader(f))
prob = printed[0].index("prob_botd-default")
p_identity = [printed[0].index(name) for name in ("StartTime", "Proto", "SrcAddr", "Sport", "DstAddr", "Dport")]
assert len(printed) == len(rows), (len(printed), len(rows))
worst = 0.0
for k in range(1, len(rows)):
    assert [rows[k][i] for i in identity] == [printed[k][i] for i in p_identity], k
    worst = max(worst, abs(float(printed[k][prob]) - float(theirs[k - 1])))
print(len(rows) - 1, worst)
)";
  const CommandResult compared =
      run("/usr/bin/python3 " + quote(script) + " " + quote(model) + " " + quote(features) + " " + quote(scored));
  ASSERT_EQ(compared.exit_code, 0) << compared.err;
  std::istringstream result(compared.out);
  size_t rows = 0;
  double worst = 1;
  result >> rows >> worst;
  EXPECT_GT(rows, 40'000u);
  EXPECT_LT(worst, 1e-5) << "largest difference between Python's and botd's probabilities";
}

}  // namespace
}  // namespace botd::test
