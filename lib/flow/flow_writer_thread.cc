#include "flow/flow_writer_thread.h"

#include <algorithm>

namespace botd {

FlowWriterThread::FlowWriterThread(FlowSink& sink, size_t queued_batches)
    : sink_(sink), queued_batches_(std::max<size_t>(queued_batches, 1)) {
  filling_.reserve(kBatch);
  thread_ = std::thread([this] { run(); });
}

FlowWriterThread::~FlowWriterThread() { stop(/*drop_queued=*/true); }

void FlowWriterThread::push(FlowRecord&& record) {
  filling_.push_back(std::move(record));
  if (filling_.size() == kBatch) hand_over();
}

void FlowWriterThread::hand_over() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queue_.size() < queued_batches_ || error_; });
  if (error_) std::rethrow_exception(error_);
  queue_.push_back(std::move(filling_));
  filling_ = {};
  if (!spare_.empty()) {
    filling_ = std::move(spare_.back());
    spare_.pop_back();
  }
  changed_.notify_all();
  lock.unlock();
  filling_.reserve(kBatch);
}

void FlowWriterThread::finish() {
  if (!filling_.empty()) hand_over();
  stop(/*drop_queued=*/false);
  if (error_) std::rethrow_exception(error_);
  sink_.finish();
}

void FlowWriterThread::stop(bool drop_queued) {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    if (drop_queued) queue_.clear();
    closing_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void FlowWriterThread::run() {
  for (;;) {
    std::vector<FlowRecord> batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing, and all written
      batch = std::move(queue_.front());
      queue_.pop_front();
      if (error_) continue;
    }
    changed_.notify_all();  // room in the queue
    try {
      for (const FlowRecord& record : batch) sink_.write(record);
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
      changed_.notify_all();
    }
    batch.clear();
    std::lock_guard lock(mutex_);
    if (spare_.size() < queued_batches_) spare_.push_back(std::move(batch));
  }
}

}  // namespace botd
