// FlowWriterThread: hands flows to a FlowSink on a second thread, so that formatting and
// writing them (about a third of `botd flows` on a large capture) overlap with reading packets
// and building flows. Records travel in batches of 1024 through a queue of a bounded number of
// batches, so memory stays bounded whatever the capture.
//
// How many batches to queue depends on how records come: flows of the whole capture end a few
// at a time, and a few batches keep the writer busy; windowed flows come all at once when a
// window closes (about 112,000 a window on the benchmark hour), and a queue too short for them
// stops reading until the writer has caught up, while the writer waits idle during the next
// window.
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
  static constexpr size_t kBatch = 1024;
  // At most `queued_batches` batches wait (456 bytes a record: 4 batches are 1.9 MB).
  explicit FlowWriterThread(FlowSink& sink, size_t queued_batches = 4);
  ~FlowWriterThread();  // without finish(): stops the thread and drops what is queued
  FlowWriterThread(const FlowWriterThread&) = delete;
  FlowWriterThread& operator=(const FlowWriterThread&) = delete;

  void push(FlowRecord&& record);
  // Writes everything queued, then finishes the sink. Rethrows the sink's error.
  void finish();

 private:
  void hand_over();  // queues `filling_`, waiting while the queue is full
  void run();
  void stop(bool drop_queued);

  FlowSink& sink_;
  size_t queued_batches_;
  std::vector<FlowRecord> filling_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<FlowRecord>> queue_;  // guarded by mutex_, with the three below
  // Written batches, emptied, for push() to fill again: a new batch's memory is fresh pages
  // that the kernel must clear (11% of the reading thread in windowed `flows`).
  std::vector<std::vector<FlowRecord>> spare_;
  bool closing_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace botd
