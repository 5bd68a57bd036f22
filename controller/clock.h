#pragma once
// Clock is the controller's source of time, so that backoff, delays and rate limits can be tested with a
// FakeClock that tests advance by hand instead of sleeping.
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace sessiongate {

// Clock tells the time and waits for a deadline on a condition variable.
class Clock {
 public:
  using Duration = std::chrono::nanoseconds;
  using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  // waitUntil blocks on cv (lock held by the caller) until it is notified, until now() reaches deadline, or
  // spuriously; callers re-check their condition and the time in a loop, as with any condition variable.
  virtual void waitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                         TimePoint deadline) = 0;
};

// RealClock is the monotonic system clock.
class RealClock : public Clock {
 public:
  TimePoint now() const override { return std::chrono::steady_clock::now(); }
  void waitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline) override {
    cv.wait_until(lock, deadline);
  }
};

// FakeClock only moves when a test calls advance or set. Its time starts at an arbitrary fixed point.
class FakeClock : public Clock {
 public:
  TimePoint now() const override {
    std::lock_guard<std::mutex> guard(mu_);
    return now_;
  }
  // advance moves the time forward by d; waiters notice within about a millisecond of real time.
  void advance(Duration d) {
    std::lock_guard<std::mutex> guard(mu_);
    now_ += d;
  }
  // set jumps to t.
  void set(TimePoint t) {
    std::lock_guard<std::mutex> guard(mu_);
    now_ = t;
  }
  // waitUntil polls: a waiter holds its own mutex while it registers, so advance could only notify it
  // safely by taking that mutex, an inverted lock order; waking every millisecond of real time to
  // re-check the fake time is simpler and cannot lose a wake-up.
  void waitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline) override {
    if (now() >= deadline) return;
    cv.wait_for(lock, std::chrono::milliseconds(1));
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_{std::chrono::hours(24)};
};

}  // namespace sessiongate
