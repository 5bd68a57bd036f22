#include "controller/queue/work_queue.h"

#include <tuple>

namespace sessiongate {

WorkQueue::WorkQueue(const Clock& clock, std::unique_ptr<RateLimiter> limiter)
    : clock_(clock), limiter_(limiter ? std::move(limiter) : defaultControllerRateLimiter(clock)) {}

void WorkQueue::add(const std::string& key) {
  std::lock_guard<std::mutex> guard(mu_);
  addLocked(key);
}

void WorkQueue::addLocked(const std::string& key) {
  if (shuttingDown_ || dirty_.count(key)) return;
  dirty_.insert(key);
  // A key being processed goes back in the queue when its worker calls done.
  if (processing_.count(key)) return;
  queue_.push_back(key);
  cv_.notify_all();
}

void WorkQueue::addAfter(const std::string& key, Clock::Duration delay) {
  std::lock_guard<std::mutex> guard(mu_);
  if (shuttingDown_) return;
  if (delay <= Clock::Duration::zero()) {
    addLocked(key);
    return;
  }
  const Clock::TimePoint readyAt = clock_.now() + delay;
  auto existing = waitingByKey_.find(key);
  if (existing != waitingByKey_.end()) {
    if (existing->second.first <= readyAt) return;
    waitingByTime_.erase({existing->second.first, existing->second.second, key});
    waitingByKey_.erase(existing);
  }
  const std::uint64_t seq = sequence_++;
  waitingByKey_[key] = {readyAt, seq};
  waitingByTime_.insert({readyAt, seq, key});
  // A blocked get may now have an earlier deadline to wait for.
  cv_.notify_all();
}

void WorkQueue::addRateLimited(const std::string& key) {
  addAfter(key, limiter_->when(key));
}

void WorkQueue::forget(const std::string& key) {
  limiter_->forget(key);
}

int WorkQueue::numRequeues(const std::string& key) const {
  return limiter_->numRequeues(key);
}

void WorkQueue::promoteReadyLocked() {
  if (waitingByTime_.empty()) return;
  const Clock::TimePoint now = clock_.now();
  while (!waitingByTime_.empty()) {
    auto first = waitingByTime_.begin();
    if (std::get<0>(*first) > now) break;
    std::string key = std::get<2>(*first);
    waitingByTime_.erase(first);
    waitingByKey_.erase(key);
    addLocked(key);
  }
}

std::optional<std::string> WorkQueue::get() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!shuttingDown_) promoteReadyLocked();
    if (!queue_.empty()) break;
    if (shuttingDown_) return std::nullopt;
    if (waitingByTime_.empty()) {
      cv_.wait(lock);
    } else {
      clock_.waitUntil(cv_, lock, std::get<0>(*waitingByTime_.begin()));
    }
  }
  std::string key = std::move(queue_.front());
  queue_.pop_front();
  processing_.insert(key);
  dirty_.erase(key);
  return key;
}

void WorkQueue::done(const std::string& key) {
  std::lock_guard<std::mutex> guard(mu_);
  processing_.erase(key);
  if (dirty_.count(key)) queue_.push_back(key);
  // Wakes a getter for the re-queued key and a draining shutDownWithDrain.
  cv_.notify_all();
}

void WorkQueue::shutDown() {
  std::lock_guard<std::mutex> guard(mu_);
  shuttingDown_ = true;
  waitingByKey_.clear();
  waitingByTime_.clear();
  cv_.notify_all();
}

void WorkQueue::shutDownWithDrain() {
  std::unique_lock<std::mutex> lock(mu_);
  shuttingDown_ = true;
  waitingByKey_.clear();
  waitingByTime_.clear();
  cv_.notify_all();
  cv_.wait(lock, [this] { return queue_.empty() && processing_.empty(); });
}

bool WorkQueue::shuttingDown() const {
  std::lock_guard<std::mutex> guard(mu_);
  return shuttingDown_;
}

std::size_t WorkQueue::len() {
  std::lock_guard<std::mutex> guard(mu_);
  if (!shuttingDown_) promoteReadyLocked();
  return queue_.size();
}

std::size_t WorkQueue::waitingLen() {
  std::lock_guard<std::mutex> guard(mu_);
  if (!shuttingDown_) promoteReadyLocked();
  return waitingByTime_.size();
}

}  // namespace sessiongate
