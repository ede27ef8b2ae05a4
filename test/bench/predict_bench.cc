// botd-bench-predict: rows per second of one model's prediction, by XGBoost and by botd's own
// evaluation of the trees (model/flat_trees.h), on the same feature rows, one thread and all
// cores; and how many of the probabilities are bit for bit the same. A benchmark for
// scripts/bench-predict, not a test.
//   botd-bench-predict MODEL INPUT [RUNS]   (INPUT: a capture or a flow file; default windows)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "features/feature_set.h"
#include "model/model.h"
#include "pipeline/flow_batches.h"
#include "pipeline/progress.h"
#include "pipeline/run_stats.h"

namespace {

double median_seconds(botd::Model& model, const botd::FeatureMatrix& rows, int runs, std::vector<float>& out) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    out = model.predict(rows);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: botd-bench-predict MODEL INPUT [RUNS]\n");
    return 2;
  }
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  botd::Model model = botd::Model::load(argv[1]);
  botd::FeatureMatrix rows;
  botd::Progress quiet("bench", false);
  botd::RunStats stats;
  botd::read_flow_batches(
      argv[2], botd::FlowBatchOptions{},
      [&](botd::FlowBatch& batch) {
        const botd::FeatureMatrix window = botd::compute_features(batch.flows);
        rows.names = window.names;
        rows.values.insert(rows.values.end(), window.values.begin(), window.values.end());
      },
      quiet, stats);
  const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  fmt::print("{} flow-window rows of {} features; {} runs each, median\n\n", rows.rows(), rows.columns(), runs);
  fmt::print("| prediction | threads | median (s) | rows per second | per core |\n|---|---|---|---|---|\n");
  std::vector<float> by_xgboost, by_botd;
  for (int threads : {1, cores}) {
    for (bool xgboost : {true, false}) {
      model.set_predict_options({.threads = threads, .xgboost = xgboost});
      const double seconds = median_seconds(model, rows, runs, xgboost ? by_xgboost : by_botd);
      const double rate = double(rows.rows()) / seconds;
      fmt::print("| {} | {} | {:.3f} | {:.0f} | {:.0f} |\n", xgboost ? "XGBoost (inplace, dense)" : "botd (flat trees)",
                 threads, seconds, rate, rate / threads);
    }
  }
  size_t same = 0;
  float largest = 0;
  for (size_t i = 0; i < by_botd.size(); ++i) {
    same += std::memcmp(&by_botd[i], &by_xgboost[i], sizeof(float)) == 0;
    largest = std::max(largest, std::abs(by_botd[i] - by_xgboost[i]));
  }
  fmt::print("\nbotd's probabilities equal XGBoost's bit for bit on {} of {} rows (largest difference {:g}).\n", same,
             by_botd.size(), largest);
  return same == by_botd.size() ? 0 : 1;
}
