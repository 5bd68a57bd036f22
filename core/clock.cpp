#include "core/clock.h"

namespace sessiongate {

void Clock::sleepFor(Duration d) const {
  std::mutex mu;
  std::condition_variable never;
  std::unique_lock<std::mutex> lock(mu);
  const TimePoint deadline = now() + d;
  while (now() < deadline) waitUntil(never, lock, deadline);
}

const Clock& realClock() {
  static const RealClock clock;
  return clock;
}

Clock::TimePoint FakeClock::now() const {
  std::lock_guard<std::mutex> guard(mu_);
  return now_;
}

WallTime FakeClock::wallNow() const {
  std::lock_guard<std::mutex> guard(mu_);
  return wall_;
}

void FakeClock::advance(Duration d) {
  std::lock_guard<std::mutex> guard(mu_);
  now_ += d;
  wall_ += std::chrono::duration_cast<WallTime::duration>(d);
}

void FakeClock::set(TimePoint t) {
  std::lock_guard<std::mutex> guard(mu_);
  now_ = t;
}

void FakeClock::setWall(WallTime t) {
  std::lock_guard<std::mutex> guard(mu_);
  wall_ = t;
}

void FakeClock::waitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                          TimePoint deadline) const {
  if (now() >= deadline) return;
  cv.wait_for(lock, std::chrono::milliseconds(1));
}

}  // namespace sessiongate
