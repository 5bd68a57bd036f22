#include "core/kube/stop_signal.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace sessiongate::kube {

void StopSignal::stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  // Callbacks run under the lock so that removeOnStop, once it returns, guarantees the callback is not
  // running.
  for (auto& [id, callback] : callbacks_) callback();
  callbacks_.clear();
  cv_.notify_all();
}

bool StopSignal::waitFor(Clock::Duration d, const Clock& clock) {
  const Clock::TimePoint deadline = clock.now() + d;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopped_ && clock.now() < deadline) clock.waitUntil(cv_, lock, deadline);
  return !stopped_;
}

int StopSignal::onStop(std::function<void()> callback) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) {
    callback();
    return -1;
  }
  int id = nextId_++;
  callbacks_.emplace(id, std::move(callback));
  return id;
}

void StopSignal::removeOnStop(int id) {
  std::lock_guard<std::mutex> lock(mu_);
  callbacks_.erase(id);
}

StopAfter::StopAfter(StopSignal& signal, Clock::Duration timeout, std::string what, const Clock& clock)
    : thread_([this, &signal, timeout, what = std::move(what), &clock] {
        if (done_.waitFor(timeout, clock)) {
          spdlog::warn("{} still waits after {} ms; cancelling its calls", what,
                       std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count());
          signal.stop();
        }
      }) {}

StopAfter::~StopAfter() {
  done_.stop();
  thread_.join();
}

}  // namespace sessiongate::kube
