// FlowWriterThread: hands flows to a FlowSink on a second thread, so that formatting and
// writing them (about a third of `botd flows` on a large capture) overlap with reading packets
// and building flows. Records travel in batches through a bounded queue, so memory stays at a
// few batches whatever the capture.
//
// One producer: push() and finish() are called from one thread. An error of the sink (a full
// disk) is rethrown by the next push() or by finish(); the records after it are dropped.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "flow/flow_writer.h"

namespace botd {

class FlowWriterThread {
 public:
  explicit FlowWriterThread(FlowSink& sink);
  ~FlowWriterThread();  // without finish(): stops the thread and drops what is queued
  FlowWriterThread(const FlowWriterThread&) = delete;
  FlowWriterThread& operator=(const FlowWriterThread&) = delete;

  void push(FlowRecord&& record);
  // Writes everything queued, then finishes the sink. Rethrows the sink's error.
  void finish();

 private:
  static constexpr size_t kBatch = 1024, kQueuedBatches = 4;
  void hand_over();  // queues `filling_`, waiting while the queue is full
  void run();
  void stop(bool drop_queued);

  FlowSink& sink_;
  std::vector<FlowRecord> filling_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<FlowRecord>> queue_;  // guarded by mutex_, with the two below
  bool closing_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace botd
