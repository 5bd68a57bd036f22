#pragma once
// WorkerPool is a fixed number of threads running tasks in order of submission: the event loop hands each
// complete request to it, so a slow review never blocks reading or writing other connections, and the
// number of threads does not grow with the number of connections.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sessiongate::webhook {

class WorkerPool {
 public:
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(std::function<void()> task);
  // stop runs the tasks already submitted, then joins every thread. Idempotent.
  void stop();

 private:
  void work();

  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace sessiongate::webhook
