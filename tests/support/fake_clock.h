#pragma once
// FakeClock is the Clock of tests: time stands still until the test moves it, so a test of backoff, leases
// or idleness runs in no time and the same way on a busy machine. Test-only; production code takes a Clock.
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/clock.h"

namespace sessiongate {

// FakeClock only moves when a test calls advance or a set; both its times start at fixed points (the wall
// time at 2026-01-01T00:00:00Z).
class FakeClock : public Clock {
 public:
  TimePoint now() const override;
  WallTime wallNow() const override;
  // advance moves both times forward by d; waiters notice within about a millisecond of real time.
  void advance(Duration d);
  // set jumps the steady time to t; setWall jumps the wall time to t (a wall clock may go back).
  void set(TimePoint t);
  void setWall(WallTime t);
  // waitUntil polls: a waiter holds its own mutex while it registers, so advance could only notify it
  // safely by taking that mutex, an inverted lock order; waking every millisecond of real time to re-check
  // the fake time is simpler and cannot lose a wake-up.
  void waitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline) const override;

 private:
  mutable std::mutex mu_;
  TimePoint now_{std::chrono::hours(24)};
  WallTime wall_{std::chrono::seconds(1767225600)};
};

}  // namespace sessiongate
