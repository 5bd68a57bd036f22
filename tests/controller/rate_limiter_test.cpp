#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "core/clock.h"
#include "controller/queue/rate_limiter.h"
#include "tests/support/fake_clock.h"

using namespace std::chrono_literals;
using sessiongate::Clock;

TEST_CASE("exponential backoff doubles from 5ms and caps at 1000s", "[controller][queue][ratelimit]") {
  sessiongate::ItemExponentialRateLimiter limiter(5ms, 1000s);
  const std::vector<Clock::Duration> expected = {
      5ms,     10ms,    20ms,    40ms,    80ms,     160ms,    320ms,    640ms, 1280ms, 2560ms, 5120ms,
      10240ms, 20480ms, 40960ms, 81920ms, 163840ms, 327680ms, 655360ms, 1000s, 1000s,  1000s,  1000s};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("failure " << i);
    CHECK(limiter.when("alice") == expected[i]);
    CHECK(limiter.numRequeues("alice") == static_cast<int>(i + 1));
  }
  // A very long failure streak stays at the cap instead of overflowing.
  for (int i = 0; i < 2000; ++i) limiter.when("alice");
  CHECK(limiter.when("alice") == 1000s);
}

TEST_CASE("exponential backoff is per item and forget resets it", "[controller][queue][ratelimit]") {
  sessiongate::ItemExponentialRateLimiter limiter(5ms, 1000s);
  CHECK(limiter.when("alice") == 5ms);
  CHECK(limiter.when("alice") == 10ms);
  CHECK(limiter.when("alice") == 20ms);
  CHECK(limiter.when("bob") == 5ms);
  CHECK(limiter.numRequeues("alice") == 3);
  CHECK(limiter.numRequeues("bob") == 1);
  CHECK(limiter.numRequeues("carol") == 0);
  limiter.forget("alice");
  CHECK(limiter.numRequeues("alice") == 0);
  CHECK(limiter.when("alice") == 5ms);
  CHECK(limiter.when("bob") == 10ms);
}

TEST_CASE("token bucket allows a burst then spaces requests by 1/qps", "[controller][queue][ratelimit]") {
  sessiongate::FakeClock clock;
  sessiongate::BucketRateLimiter limiter(clock, 10, 3);
  const std::vector<Clock::Duration> expected = {0ms, 0ms, 0ms, 100ms, 200ms, 300ms};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("request " << i);
    CHECK(limiter.when("k" + std::to_string(i)) == expected[i]);
  }
  // 350ms refill the 3-token deficit and half a token more.
  clock.advance(350ms);
  CHECK(limiter.when("a") == 50ms);
  // A long pause refills at most the burst.
  clock.advance(100s);
  CHECK(limiter.when("b") == 0ms);
  CHECK(limiter.when("c") == 0ms);
  CHECK(limiter.when("d") == 0ms);
  CHECK(limiter.when("e") == 100ms);
  CHECK(limiter.numRequeues("e") == 0);
}

TEST_CASE("default controller limiter is the max of backoff and bucket", "[controller][queue][ratelimit]") {
  sessiongate::FakeClock clock;
  sessiongate::RateLimitConfig config;
  config.qps = 10;
  config.burst = 2;
  auto limiter = sessiongate::defaultControllerRateLimiter(clock, config);
  CHECK(limiter->when("alice") == 5ms);   // bucket 0, backoff 5ms
  CHECK(limiter->when("alice") == 10ms);  // bucket 0, backoff 10ms
  CHECK(limiter->when("bob") == 100ms);   // bucket empty: 100ms, backoff 5ms
  CHECK(limiter->numRequeues("alice") == 2);
  clock.advance(10s);
  for (int i = 0; i < 6; ++i) limiter->when("alice");
  CHECK(limiter->when("alice") == 1280ms);  // 9th failure: backoff dominates the bucket's 500ms
  limiter->forget("alice");
  CHECK(limiter->numRequeues("alice") == 0);
}

TEST_CASE("default controller limiter uses client-go's defaults", "[controller][queue][ratelimit]") {
  sessiongate::FakeClock clock;
  auto limiter = sessiongate::defaultControllerRateLimiter(clock);
  for (int i = 0; i < 100; ++i) REQUIRE(limiter->when("key-" + std::to_string(i)) == 5ms);
  CHECK(limiter->when("key-100") == 100ms);
  CHECK(limiter->when("key-101") == 200ms);
}
