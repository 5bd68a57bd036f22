#pragma once
// Poller runs a check on its own thread at a fixed interval until stopped; the certificate and policy
// watchers use it to notice changed files.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/clock.h"

namespace sessiongate::webhook {

// Poller calls check every interval of clock's time on a background thread from start() until stop() or
// destruction.
class Poller {
 public:
  Poller(std::chrono::milliseconds interval, std::function<void()> check, const Clock& clock = realClock());
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  void start();
  // stop wakes the thread and joins it; a check in progress finishes first.
  void stop();

 private:
  const std::chrono::milliseconds interval_;
  const std::function<void()> check_;
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sessiongate::webhook
