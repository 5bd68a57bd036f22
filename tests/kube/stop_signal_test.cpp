// StopSignal::waitFor on the one Clock: it ends at stop(), or once the clock passes the deadline, whatever the
// real time.
#include "core/kube/stop_signal.h"
#include "tests/support/fake_clock.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

namespace sessiongate::kube {

TEST_CASE("waitFor on a fake clock ends at stop() or when the fake time reaches the deadline", "[kube][stop]") {
  FakeClock clock;
  StopSignal stopping;
  std::atomic<int> stoppedResult{-1};
  std::thread stopped([&] { stoppedResult = stopping.waitFor(std::chrono::hours(1), clock) ? 1 : 0; });
  stopping.stop();
  stopped.join();
  CHECK(stoppedResult == 0);  // woken by stop()
  CHECK_FALSE(stopping.waitFor(std::chrono::hours(1), clock));  // already stopped: at once

  StopSignal running;
  std::atomic<int> elapsedResult{-1};
  std::thread elapsed([&] { elapsedResult = running.waitFor(std::chrono::minutes(1), clock) ? 1 : 0; });
  for (int round = 0; round < 100000 && elapsedResult < 0; ++round) {
    clock.advance(std::chrono::seconds(10));
    std::this_thread::yield();
  }
  elapsed.join();
  CHECK(elapsedResult == 1);  // the deadline passed, not stopped
  CHECK(running.waitFor(Clock::Duration::zero(), clock));
}

}  // namespace sessiongate::kube
