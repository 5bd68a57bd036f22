#pragma once
// Rate limiters for the work queue, after client-go's util/workqueue: a per-item exponential backoff, an
// overall token bucket, and their max, which is the default a controller uses.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"

namespace sessiongate {

// RateLimiter decides how long an item waits before it is retried.
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // when returns the delay before key may be processed again and counts one more requeue of key.
  virtual Clock::Duration when(const std::string& key) = 0;
  // forget clears key's history once it was processed successfully.
  virtual void forget(const std::string& key) = 0;
  // numRequeues is how many times key was rate limited since it was last forgotten.
  virtual int numRequeues(const std::string& key) const = 0;
};

// ItemExponentialRateLimiter delays the n-th failure of an item by base * 2^n, capped at max.
class ItemExponentialRateLimiter : public RateLimiter {
 public:
  ItemExponentialRateLimiter(Clock::Duration base, Clock::Duration max);
  Clock::Duration when(const std::string& key) override;
  void forget(const std::string& key) override;
  int numRequeues(const std::string& key) const override;

 private:
  Clock::Duration base_;
  Clock::Duration max_;
  mutable std::mutex mu_;
  std::map<std::string, int> failures_;
};

// BucketRateLimiter is a token bucket shared by all items: qps tokens per second, at most burst saved up.
// Like golang.org/x/time/rate's Reserve, a request always gets a slot; the delay is when its token exists.
class BucketRateLimiter : public RateLimiter {
 public:
  BucketRateLimiter(const Clock& clock, double qps, int burst);
  Clock::Duration when(const std::string& key) override;
  void forget(const std::string& key) override {}
  int numRequeues(const std::string& key) const override { return 0; }

 private:
  const Clock& clock_;
  double qps_;
  double burst_;
  std::mutex mu_;
  double tokens_;
  Clock::TimePoint last_;
};

// MaxOfRateLimiter waits as long as the slowest of its limiters says.
class MaxOfRateLimiter : public RateLimiter {
 public:
  explicit MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters);
  Clock::Duration when(const std::string& key) override;
  void forget(const std::string& key) override;
  int numRequeues(const std::string& key) const override;

 private:
  std::vector<std::unique_ptr<RateLimiter>> limiters_;
};

// RateLimitConfig holds the knobs of defaultControllerRateLimiter; the defaults are client-go's.
struct RateLimitConfig {
  Clock::Duration baseDelay = std::chrono::milliseconds(5);
  Clock::Duration maxDelay = std::chrono::seconds(1000);
  double qps = 10;
  int burst = 100;
};

// defaultControllerRateLimiter is max(per-item exponential backoff, overall token bucket), as client-go's
// DefaultControllerRateLimiter.
std::unique_ptr<RateLimiter> defaultControllerRateLimiter(const Clock& clock,
                                                          const RateLimitConfig& config = {});

}  // namespace sessiongate
