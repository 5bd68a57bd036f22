#include "webhook/server/elastic_task_queue.h"

#include <spdlog/spdlog.h>

#include <system_error>
#include <thread>

namespace sessiongate::webhook {

ElasticTaskQueue::ElasticTaskQueue(std::size_t maxWorkers, std::chrono::milliseconds idleTimeout)
    : maxWorkers_(maxWorkers == 0 ? 1 : maxWorkers), idleTimeout_(idleTimeout) {}

ElasticTaskQueue::~ElasticTaskQueue() {
  shutdown();
}

void ElasticTaskQueue::enqueue(std::function<void()> task) {
  std::unique_lock lock(mu_);
  tasks_.push_back(std::move(task));
  // Each idle worker takes one queued task; start a worker for a task no idle one will take.
  if (idle_ >= tasks_.size()) {
    lock.unlock();
    taskReady_.notify_one();
    return;
  }
  auto exited = std::move(exited_);
  exited_.clear();
  if (workers_ >= maxWorkers_) {
    lock.unlock();
    spdlog::warn("all {} workers are busy; a connection waits for a free worker", maxWorkers_);
    reap(std::move(exited));
    return;
  }
  ++workers_;
  try {
    // Started under the lock, so the handle is stored before the worker can exit and move it.
    std::thread thread([this] { work(); });
    auto id = thread.get_id();
    threads_.emplace(id, std::move(thread));
  } catch (const std::system_error& e) {
    --workers_;
    spdlog::error("cannot start a worker thread ({}); {} workers serve the queue", e.what(), workers_);
  }
  lock.unlock();
  reap(std::move(exited));
}

void ElasticTaskQueue::reap(std::vector<std::thread> exited) {
  for (auto& thread : exited) thread.join();
}

void ElasticTaskQueue::work() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (tasks_.empty()) {
      if (shuttingDown_) break;
      ++idle_;
      bool woken =
          taskReady_.wait_for(lock, idleTimeout_, [this] { return !tasks_.empty() || shuttingDown_; });
      --idle_;
      if (!woken) break;  // idle for idleTimeout: exit, a new task starts a new worker
      continue;
    }
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    task = nullptr;  // destroy the task's captures outside the lock
    lock.lock();
  }
  --workers_;
  if (auto self = threads_.find(std::this_thread::get_id()); self != threads_.end()) {
    exited_.push_back(std::move(self->second));
    threads_.erase(self);
  }
  // Notify while holding the lock: once shutdown() sees workers_ == 0 this thread touches nothing of *this.
  allExited_.notify_all();
}

void ElasticTaskQueue::shutdown() {
  std::unique_lock lock(mu_);
  shuttingDown_ = true;
  taskReady_.notify_all();
  allExited_.wait(lock, [this] { return workers_ == 0; });
  auto exited = std::move(exited_);
  exited_.clear();
  lock.unlock();
  reap(std::move(exited));
}

std::size_t ElasticTaskQueue::workers() const {
  std::lock_guard lock(mu_);
  return workers_;
}

}  // namespace sessiongate::webhook
