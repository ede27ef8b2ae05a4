// BatchPipeline (pipeline/batch_pipeline.h): a window's work on a second thread while the
// next window is read. FlowViews (pipeline/flow_batches.h): training's windows without copies.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "pipeline/batch_pipeline.h"
#include "pipeline/flow_batches.h"
#include "pipeline/progress.h"
#include "test_support.h"

namespace botd {
namespace {

// What the work saw of each batch.
struct Seen {
  int64_t window_index;
  bool windowed, labeled;
  std::vector<std::string> sources;
  bool on_caller_thread;
  bool operator==(const Seen&) const = default;
};

// Feeds `windows` batches of different sizes through a pipeline, as read_flow_batches does
// (one batch, its storage reused), and returns what the work saw.
std::vector<Seen> run_batches(bool threaded, int windows) {
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<Seen> seen;
  BatchPipeline pipeline(
      [&](FlowBatch& batch) {
        Seen s{batch.window.index, batch.windowed, batch.labeled, {}, std::this_thread::get_id() == caller};
        for (const FlowRecord& flow : batch.flows) s.sources.push_back(flow.src_addr.str());
        seen.push_back(std::move(s));
      },
      threaded);
  const FlowBatchCallback on_batch = pipeline.callback();
  FlowBatch batch;
  for (int w = 0; w < windows; ++w) {
    batch.window = {w, w * 150, w * 150 + 300};
    batch.labeled = w % 2 == 1;
    for (int i = 0; i < (w * 7) % 5 + 1; ++i) {
      FlowRecord flow;
      flow.src_addr = "10.0." + std::to_string(w) + "." + std::to_string(i);
      batch.flows.push_back(std::move(flow));
    }
    on_batch(batch);
    batch.flows.clear();  // as the reader does: the next window into the same storage
  }
  pipeline.finish();
  return seen;
}

TEST(BatchPipeline, TheWorkSeesEveryBatchInOrderOnItsOwnThread) {
  const std::vector<Seen> threaded = run_batches(true, 40);
  const std::vector<Seen> inline_ = run_batches(false, 40);
  ASSERT_EQ(threaded.size(), 40u);
  for (size_t w = 0; w < threaded.size(); ++w) {
    EXPECT_EQ(threaded[w].window_index, int64_t(w));
    EXPECT_EQ(threaded[w].sources.size(), size_t((w * 7) % 5 + 1));
    EXPECT_EQ(threaded[w].sources.front(), "10.0." + std::to_string(w) + ".0");
    EXPECT_FALSE(threaded[w].on_caller_thread);
    EXPECT_TRUE(inline_[w].on_caller_thread);
    Seen same = inline_[w];
    same.on_caller_thread = false;
    EXPECT_EQ(threaded[w], same) << "window " << w;
  }
}

TEST(BatchPipeline, AnErrorOfTheWorkIsRethrownToTheReaderAndLaterBatchesDropped) {
  int worked = 0;
  BatchPipeline pipeline(
      [&](FlowBatch& batch) {
        ++worked;
        if (batch.window.index == 2) throw std::runtime_error("disk full");
      },
      true);
  const FlowBatchCallback on_batch = pipeline.callback();
  FlowBatch batch;
  bool thrown = false;
  try {
    for (int w = 0; w < 10; ++w) {
      batch.window.index = w;
      on_batch(batch);
    }
    pipeline.finish();
  } catch (const std::runtime_error& error) {
    thrown = true;
    EXPECT_STREQ(error.what(), "disk full");
  }
  EXPECT_TRUE(thrown);
  EXPECT_EQ(worked, 3);
}

TEST(BatchPipeline, AnErrorOfTheLastBatchComesFromFinish) {
  BatchPipeline pipeline([](FlowBatch&) { throw std::runtime_error("bad window"); }, true);
  FlowBatch batch;
  pipeline.callback()(batch);
  EXPECT_THROW(pipeline.finish(), std::runtime_error);
}

TEST(BatchPipeline, DestroyedWithoutFinishItEndsTheBatchHandedOverAndJoins) {
  int worked = 0;
  {
    BatchPipeline pipeline([&](FlowBatch&) { ++worked; }, true);
    FlowBatch batch;
    pipeline.callback()(batch);
    // The reader throws here: no finish(); the destructor joins the thread.
  }
  EXPECT_EQ(worked, 1);
}

}  // namespace
}  // namespace botd

namespace botd {
namespace {

// A window's flows as (start, source) pairs in the order given.
using WindowFlows = std::pair<int64_t, std::vector<std::pair<int64_t, std::string>>>;

// Training's views of a flow file hold, for every window, the flows read_flow_batches puts in
// it, in start-time order, though the file is out of order (within argus's hour): each flow
// read once, not copied into each window.
TEST(FlowViews, EveryWindowHoldsTheFlowsOfItsBatchInStartTimeOrder) {
  test::TempDir dir;
  const std::filesystem::path file = dir / "shuffled.binetflow";
  {
    std::ofstream out(file);
    out << "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,Label\n";
    std::mt19937 random(11);
    for (int i = 0; i < 600; ++i) {
      // Mostly in order, some flows up to 20 minutes behind the latest.
      const int second = std::max(0, i * 3 - (random() % 5 == 0 ? int(random() % 1200) : 0));
      out << fmt::format("2011/08/16 10:{:02}:{:02}.000000,1.0,udp,10.0.0.{},5000,<->,10.0.1.1,53,CON,0,0,2,200,100,"
                         "flow=Background\n",
                         second / 60, second % 60, i % 250);
    }
  }
  for (const int64_t window_s : {300, 0}) {
    FlowBatchOptions options;
    options.windows.window_ns = window_s * 1'000'000'000;
    Progress progress("test", false);
    RunStats batch_stats, view_stats;
    std::vector<WindowFlows> batches, views;
    const auto flows_of = [](std::span<const FlowRecord> flows) {
      std::vector<std::pair<int64_t, std::string>> seen;
      for (const FlowRecord& flow : flows) seen.emplace_back(flow.start_ns, flow.src_addr);
      return seen;
    };
    read_flow_batches(file.string(), options, [&](FlowBatch& batch) {
      batches.emplace_back(batch.window.start_ns, flows_of(batch.flows));
      std::stable_sort(batches.back().second.begin(), batches.back().second.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
    }, progress, batch_stats);
    read_flow_views(file.string(), options, [&](const FlowView& view) {
      EXPECT_TRUE(view.labeled);
      EXPECT_EQ(view.windowed, window_s != 0);
      views.emplace_back(view.window.start_ns, flows_of(view.flows));
    }, progress, view_stats);
    EXPECT_EQ(views, batches) << "--window " << window_s;
    EXPECT_EQ(view_stats.flows, 600u);
    EXPECT_EQ(view_stats.windows, batch_stats.windows);
    EXPECT_EQ(view_stats.late_flows, batch_stats.late_flows);
    EXPECT_GT(batches.size(), window_s == 0 ? 0u : 10u);
  }
}

}  // namespace
}  // namespace botd
