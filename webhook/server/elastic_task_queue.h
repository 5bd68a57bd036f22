#pragma once
// ElasticTaskQueue is the server's httplib::TaskQueue. cpp-httplib serves a keep-alive connection on one
// worker until the connection closes, so its fixed ThreadPool (8 workers) stops answering as soon as 8
// clients hold idle connections open, which the API server does. This queue starts a worker whenever no
// idle one is waiting, up to maxWorkers, and lets a worker that stayed idle for idleTimeout exit, so idle
// connections cost a parked thread each but never delay a new request.
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace sessiongate::webhook {

// ElasticTaskQueue runs each task on an idle worker or a new one, never more than maxWorkers at once.
class ElasticTaskQueue : public httplib::TaskQueue {
 public:
  // DefaultMaxWorkers bounds the threads, hence the connections served at once; more wait in the queue.
  static constexpr std::size_t DefaultMaxWorkers = 1024;

  explicit ElasticTaskQueue(std::size_t maxWorkers = DefaultMaxWorkers,
                            std::chrono::milliseconds idleTimeout = std::chrono::seconds(30));
  ~ElasticTaskQueue() override;

  void enqueue(std::function<void()> task) override;
  // shutdown runs the queued tasks, then waits until every worker has finished and its thread is joined,
  // so no worker is still exiting (running thread-local destructors, OpenSSL's among them) afterwards.
  void shutdown() override;

  // workers is the number of live worker threads.
  std::size_t workers() const;

 private:
  void work();
  // reap joins the threads of workers that have exited.
  static void reap(std::vector<std::thread> exited);

  const std::size_t maxWorkers_;
  const std::chrono::milliseconds idleTimeout_;
  mutable std::mutex mu_;
  std::condition_variable taskReady_;
  std::condition_variable allExited_;
  std::deque<std::function<void()>> tasks_;
  std::size_t workers_ = 0;
  std::size_t idle_ = 0;
  std::map<std::thread::id, std::thread> threads_;  // live workers
  std::vector<std::thread> exited_;                 // workers done, to be joined
  bool shuttingDown_ = false;
};

}  // namespace sessiongate::webhook
