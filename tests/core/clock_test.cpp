// core/clock: the one Clock. FakeClock moves only when told; waits on it end when its time reaches the
// deadline, whatever the real time; RealClock's wall time is the system's.
#include "core/clock.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <thread>

#include "tests/support/fake_clock.h"

namespace sessiongate {

TEST_CASE("a fake clock moves its steady and wall time only when told", "[core][clock]") {
  FakeClock clock;
  const Clock::TimePoint start = clock.now();
  CHECK(clock.wallNow() == WallTime(std::chrono::seconds(1767225600)));  // 2026-01-01T00:00:00Z
  struct Step {
    const char* what;
    std::function<void()> act;
    Clock::Duration steady;  // since start
    WallTime wall;
  };
  const Step steps[] = {
      {"advance 90s moves both", [&] { clock.advance(std::chrono::seconds(90)); }, std::chrono::seconds(90),
       WallTime(std::chrono::seconds(1767225690))},
      {"the wall clock set back leaves the steady one", [&] { clock.setWall(WallTime(std::chrono::seconds(1767225000))); },
       std::chrono::seconds(90), WallTime(std::chrono::seconds(1767225000))},
      {"the steady clock set leaves the wall one", [&] { clock.set(start + std::chrono::hours(1)); },
       std::chrono::hours(1), WallTime(std::chrono::seconds(1767225000))},
      {"advance 1ns", [&] { clock.advance(std::chrono::nanoseconds(1)); },
       std::chrono::hours(1) + std::chrono::nanoseconds(1),
       WallTime(std::chrono::seconds(1767225000)) + std::chrono::duration_cast<WallTime::duration>(std::chrono::nanoseconds(1))},
  };
  for (const Step& step : steps) {
    INFO(step.what);
    step.act();
    CHECK(clock.now() - start == step.steady);
    CHECK(clock.wallNow() == step.wall);
  }
}

TEST_CASE("sleepFor on a fake clock returns once another thread advanced it past the deadline", "[core][clock]") {
  FakeClock clock;
  const Clock::TimePoint start = clock.now();
  std::atomic<bool> woke{false};
  std::thread sleeper([&] {
    clock.sleepFor(std::chrono::minutes(5));
    woke = true;
  });
  // A bounded poll: the fake time moves a minute per round until the sleeper is out; real time plays no part.
  for (int round = 0; round < 100000 && !woke; ++round) {
    clock.advance(std::chrono::minutes(1));
    std::this_thread::yield();
  }
  sleeper.join();
  REQUIRE(woke);
  CHECK(clock.now() - start >= std::chrono::minutes(5));
}

TEST_CASE("the real clock's wall time is the system's and its steady time does not go back", "[core][clock]") {
  const Clock& clock = realClock();
  const auto before = std::chrono::system_clock::now();
  const WallTime wall = clock.wallNow();
  const auto after = std::chrono::system_clock::now();
  CHECK(before <= wall);
  CHECK(wall <= after);
  const Clock::TimePoint first = clock.now();
  CHECK(clock.now() >= first);
  clock.sleepFor(Clock::Duration::zero());
  CHECK(&realClock() == &clock);
}

}  // namespace sessiongate
