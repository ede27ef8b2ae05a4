// BatchPipeline (pipeline/batch_pipeline.h): a window's work on a second thread while the
// next window is read.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/batch_pipeline.h"

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
        for (const FlowRecord& flow : batch.flows) s.sources.push_back(flow.src_addr);
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
