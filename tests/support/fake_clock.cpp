#include "tests/support/fake_clock.h"

namespace sessiongate {

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
