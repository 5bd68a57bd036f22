#pragma once
// Clock is the one source of time of every component: steady time for deadlines, backoff, rate limits and
// lease timing, wall time for what is written to the API (status timestamps, lease renewals, Events) and
// compared with what trackers report, and waits on either. Whatever reads the time takes a Clock, so tests
// drive time with a FakeClock instead of sleeping (client-go's clock.Clock plays the same part).
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace sessiongate {

// WallTime is a point in calendar time.
using WallTime = std::chrono::system_clock::time_point;

// Clock tells the steady and the wall time and waits for a steady deadline.
class Clock {
 public:
  using Duration = std::chrono::nanoseconds;
  using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

  virtual ~Clock() = default;
  // now is monotonic time: the only one to measure durations and set deadlines with.
  virtual TimePoint now() const = 0;
  // wallNow is calendar time: what is written to objects and compared with other machines' timestamps.
  virtual WallTime wallNow() const = 0;
  // waitUntil blocks on cv (lock held by the caller) until it is notified, until now() reaches deadline, or
  // spuriously; callers re-check their condition and the time in a loop, as with any condition variable.
  virtual void waitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                         TimePoint deadline) const = 0;
  // sleepFor blocks until now() has advanced by d.
  void sleepFor(Duration d) const;
};

// RealClock is the system's monotonic and calendar clocks.
class RealClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::steady_clock::now(); }
  WallTime wallNow() const override { return std::chrono::system_clock::now(); }
  void waitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline) const override {
    cv.wait_until(lock, deadline);
  }
};

// realClock is the process's RealClock, the default wherever a component is not handed a clock.
const Clock& realClock();

}  // namespace sessiongate
