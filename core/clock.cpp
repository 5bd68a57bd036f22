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

}  // namespace sessiongate
