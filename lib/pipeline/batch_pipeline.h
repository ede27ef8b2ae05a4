// BatchPipeline: runs a job's per-window work (features, prediction, scoring, writing) on a
// second thread while the calling thread reads the input and builds the next window's flows,
// so that `score` and `report` use both cores between predictions (issue 13).
//
// One window is worked on while the next one fills: callback() hands a finished batch over by
// swapping its flows with the storage of the batch worked on before (already cleared), so the
// reader goes on filling without a copy, and memory holds two windows' flows, not one.
// Batches are worked on one at a time and in the order they came: the output is the same as
// the work run inline, whatever the threads.
//
// Thread safety: callback() and finish() are called from one thread (the reader's); `work`
// runs on the pipeline's thread and must touch nothing the reader touches (stats, progress).
// An exception thrown by `work` is rethrown by the next callback() or by finish(); the batches
// after it are dropped. Destroying the pipeline without finish() (the reader threw) waits for
// the batch being worked on and drops the rest.
//
// With `threaded` false, callback() runs `work` inline: the same results on one thread.
#pragma once

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "pipeline/flow_batches.h"

namespace botd {

class BatchPipeline {
 public:
  BatchPipeline(FlowBatchCallback work, bool threaded);
  ~BatchPipeline();
  BatchPipeline(const BatchPipeline&) = delete;
  BatchPipeline& operator=(const BatchPipeline&) = delete;

  // What read_flow_batches() calls with each batch.
  FlowBatchCallback callback();
  // Waits until the last batch is worked on; rethrows the work's error.
  void finish();

 private:
  void hand_over(FlowBatch& batch);
  void run();
  void stop();
  void rethrow_error();  // REQUIRES: mutex_ held

  FlowBatchCallback work_;
  FlowBatch working_;  // the batch the thread works on, or the storage for the next one
  std::mutex mutex_;
  std::condition_variable changed_;
  bool full_ = false;     // working_ holds a batch not yet worked on, or being worked on
  bool closing_ = false;  // guarded by mutex_, with full_ and error_
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace botd
