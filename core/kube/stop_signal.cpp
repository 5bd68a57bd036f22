#include "core/kube/stop_signal.h"

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

}  // namespace sessiongate::kube
