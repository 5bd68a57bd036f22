#include "controller/queue/rate_limiter.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace sessiongate {

ItemExponentialRateLimiter::ItemExponentialRateLimiter(Clock::Duration base, Clock::Duration max)
    : base_(base), max_(max) {}

Clock::Duration ItemExponentialRateLimiter::when(const std::string& key) {
  std::lock_guard<std::mutex> guard(mu_);
  const int exponent = failures_[key]++;
  // Computed in floating point so that a long failure streak saturates at max_ instead of overflowing.
  const double delay = static_cast<double>(base_.count()) * std::pow(2.0, exponent);
  if (delay >= static_cast<double>(max_.count())) return max_;
  return Clock::Duration(std::llround(delay));
}

void ItemExponentialRateLimiter::forget(const std::string& key) {
  std::lock_guard<std::mutex> guard(mu_);
  failures_.erase(key);
}

int ItemExponentialRateLimiter::numRequeues(const std::string& key) const {
  std::lock_guard<std::mutex> guard(mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

BucketRateLimiter::BucketRateLimiter(const Clock& clock, double qps, int burst)
    : clock_(clock), qps_(qps), burst_(burst), tokens_(burst), last_(clock.now()) {}

Clock::Duration BucketRateLimiter::when(const std::string& key) {
  std::lock_guard<std::mutex> guard(mu_);
  const Clock::TimePoint now = clock_.now();
  if (now > last_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * qps_);
    last_ = now;
  }
  tokens_ -= 1;
  if (tokens_ >= 0) return Clock::Duration::zero();
  // The token this request took will exist once the deficit is refilled.
  const double nanoseconds = -tokens_ / qps_ * 1e9;
  return Clock::Duration(std::llround(nanoseconds));
}

MaxOfRateLimiter::MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters)
    : limiters_(std::move(limiters)) {}

Clock::Duration MaxOfRateLimiter::when(const std::string& key) {
  Clock::Duration longest = Clock::Duration::zero();
  for (auto& limiter : limiters_) longest = std::max(longest, limiter->when(key));
  return longest;
}

void MaxOfRateLimiter::forget(const std::string& key) {
  for (auto& limiter : limiters_) limiter->forget(key);
}

int MaxOfRateLimiter::numRequeues(const std::string& key) const {
  int most = 0;
  for (const auto& limiter : limiters_) most = std::max(most, limiter->numRequeues(key));
  return most;
}

std::unique_ptr<RateLimiter> defaultControllerRateLimiter(const Clock& clock, const RateLimitConfig& config) {
  std::vector<std::unique_ptr<RateLimiter>> limiters;
  limiters.push_back(std::make_unique<ItemExponentialRateLimiter>(config.baseDelay, config.maxDelay));
  limiters.push_back(std::make_unique<BucketRateLimiter>(clock, config.qps, config.burst));
  return std::make_unique<MaxOfRateLimiter>(std::move(limiters));
}

}  // namespace sessiongate
