#include "pipeline/batch_pipeline.h"

#include <utility>

namespace botd {

BatchPipeline::BatchPipeline(FlowBatchCallback work, bool threaded) : work_(std::move(work)) {
  if (threaded) thread_ = std::thread([this] { run(); });
}

BatchPipeline::~BatchPipeline() { stop(); }

FlowBatchCallback BatchPipeline::callback() {
  return [this](FlowBatch& batch) { hand_over(batch); };
}

void BatchPipeline::rethrow_error() {
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void BatchPipeline::hand_over(FlowBatch& batch) {
  if (!thread_.joinable()) {
    work_(batch);
    return;
  }
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !full_ || error_; });
  rethrow_error();
  // working_'s flows were cleared after its last window: the reader gets their storage back,
  // with room for as many flows as it hands over (else the reader grows a second vector by
  // doubling, and each step touches fresh memory, slow to fault in on some machines).
  working_.flows.reserve(batch.flows.capacity());
  working_.window = batch.window;
  working_.windowed = batch.windowed;
  working_.labeled = batch.labeled;
  std::swap(working_.flows, batch.flows);
  full_ = true;
  changed_.notify_all();
}

void BatchPipeline::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return full_ || closing_; });
    if (!full_) return;  // closing, nothing left
    lock.unlock();
    std::exception_ptr error;
    try {
      work_(working_);
    } catch (...) {
      error = std::current_exception();
    }
    working_.flows.clear();
    lock.lock();
    full_ = false;
    if (error) {
      error_ = error;
      closing_ = true;
    }
    changed_.notify_all();
    if (error) return;
  }
}

void BatchPipeline::finish() {
  if (!thread_.joinable()) return;
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !full_; });
  }
  stop();
  std::lock_guard lock(mutex_);
  rethrow_error();
}

void BatchPipeline::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    changed_.notify_all();
  }
  thread_.join();
}

}  // namespace botd
