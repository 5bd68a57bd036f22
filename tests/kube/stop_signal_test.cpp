// StopSignal::waitFor on the one Clock: it ends at stop(), or once the clock passes the deadline, whatever
// the real time; StopAfter, the bound on one step, on the same clock.
#include "core/kube/stop_signal.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/support/fake_clock.h"

namespace sessiongate::kube {

TEST_CASE("waitFor on a fake clock ends at stop() or when the fake time reaches the deadline",
          "[kube][stop]") {
  FakeClock clock;
  StopSignal stopping;
  std::atomic<int> stoppedResult{-1};
  std::thread stopped([&] { stoppedResult = stopping.waitFor(std::chrono::hours(1), clock) ? 1 : 0; });
  stopping.stop();
  stopped.join();
  CHECK(stoppedResult == 0);                                    // woken by stop()
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

namespace sessiongate::kube {

TEST_CASE("StopAfter stops its signal once the timeout passes, and never when destroyed before",
          "[kube][stop]") {
  FakeClock clock;
  StopSignal finished;
  { StopAfter bound(finished, std::chrono::seconds(10), "a step that ends in time", clock); }
  CHECK_FALSE(finished.stopped());  // destroyed before the fake time moved

  StopSignal overdue;
  {
    StopAfter bound(overdue, std::chrono::seconds(10), "a step that hangs", clock);
    for (int round = 0; round < 100000 && !overdue.stopped(); ++round) {
      clock.advance(std::chrono::seconds(1));
      std::this_thread::yield();
    }
    CHECK(overdue.stopped());  // what the bounded step's calls see: cancelled
  }
  CHECK(overdue.stopped());
}

}  // namespace sessiongate::kube
