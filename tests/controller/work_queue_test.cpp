#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "controller/queue/rate_limiter.h"
#include "controller/queue/work_queue.h"
#include "tests/support/fake_clock.h"

using namespace std::chrono_literals;
using sessiongate::FakeClock;
using sessiongate::WorkQueue;

namespace {

// takeAll gets every ready key (without blocking) and marks each done, in order.
std::vector<std::string> takeAll(WorkQueue& queue) {
  std::vector<std::string> keys;
  while (queue.len() > 0) {
    auto key = queue.get();
    REQUIRE(key);
    keys.push_back(*key);
    queue.done(*key);
  }
  return keys;
}

// Generous real-time bound for a blocked get to notice a change; the waits themselves are short.
constexpr auto kWakeTimeout = 5s;

}  // namespace

TEST_CASE("a key queued several times is processed once", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  queue.add("alice");
  queue.add("bob");
  queue.add("alice");
  queue.add("alice");
  CHECK(queue.len() == 2);
  CHECK(takeAll(queue) == std::vector<std::string>{"alice", "bob"});
  CHECK(queue.len() == 0);
}

TEST_CASE("a key re-added while processing is queued again after done", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  queue.add("alice");
  auto key = queue.get();
  REQUIRE(key == std::optional<std::string>("alice"));
  queue.add("alice");
  queue.add("alice");
  CHECK(queue.len() == 0);  // not handed to a second worker while the first one holds it
  queue.add("bob");
  CHECK(queue.len() == 1);
  queue.done("alice");
  CHECK(queue.len() == 2);
  CHECK(takeAll(queue) == std::vector<std::string>{"bob", "alice"});
}

TEST_CASE("done without a re-add does not queue the key again", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  queue.add("alice");
  auto key = queue.get();
  REQUIRE(key);
  queue.done(*key);
  CHECK(queue.len() == 0);
}

TEST_CASE("addAfter hands keys out in ready-time order as the clock advances", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  queue.addAfter("a", 30ms);
  queue.addAfter("b", 10ms);
  queue.addAfter("c", 20ms);
  queue.addAfter("now", 0ms);
  CHECK(queue.len() == 1);
  CHECK(queue.waitingLen() == 3);
  CHECK(takeAll(queue) == std::vector<std::string>{"now"});
  clock.advance(9ms);
  CHECK(queue.len() == 0);
  clock.advance(1ms);
  CHECK(queue.len() == 1);
  CHECK(takeAll(queue) == std::vector<std::string>{"b"});
  clock.advance(25ms);
  CHECK(takeAll(queue) == std::vector<std::string>{"c", "a"});
  CHECK(queue.waitingLen() == 0);
}

TEST_CASE("addAfter of a waiting key keeps the earlier ready time", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  queue.addAfter("late-then-early", 50ms);
  queue.addAfter("late-then-early", 10ms);
  queue.addAfter("early-then-late", 10ms);
  queue.addAfter("early-then-late", 50ms);
  CHECK(queue.waitingLen() == 2);
  clock.advance(10ms);
  CHECK(takeAll(queue) == std::vector<std::string>{"late-then-early", "early-then-late"});
  clock.advance(100ms);
  CHECK(queue.len() == 0);
}

TEST_CASE("a delayed key that is already queued is processed once", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  queue.add("alice");
  queue.addAfter("alice", 5ms);
  clock.advance(5ms);
  CHECK(queue.len() == 1);
  CHECK(takeAll(queue) == std::vector<std::string>{"alice"});
}

TEST_CASE("addRateLimited backs off per key and forget resets it", "[controller][queue][ratelimit]") {
  FakeClock clock;
  WorkQueue queue(clock);
  queue.addRateLimited("alice");  // 5ms
  CHECK(queue.numRequeues("alice") == 1);
  clock.advance(4ms);
  CHECK(queue.len() == 0);
  clock.advance(1ms);
  CHECK(takeAll(queue) == std::vector<std::string>{"alice"});

  queue.addRateLimited("alice");  // 10ms
  clock.advance(9ms);
  CHECK(queue.len() == 0);
  clock.advance(1ms);
  CHECK(takeAll(queue) == std::vector<std::string>{"alice"});
  CHECK(queue.numRequeues("alice") == 2);

  queue.forget("alice");
  CHECK(queue.numRequeues("alice") == 0);
  queue.addRateLimited("alice");  // 5ms again
  clock.advance(5ms);
  CHECK(takeAll(queue) == std::vector<std::string>{"alice"});
}

TEST_CASE("the overall rate limit delays keys beyond the burst", "[controller][queue][ratelimit]") {
  FakeClock clock;
  sessiongate::RateLimitConfig config;
  config.qps = 10;
  config.burst = 2;
  WorkQueue queue(clock, sessiongate::defaultControllerRateLimiter(clock, config));
  queue.addRateLimited("a");  // 5ms
  queue.addRateLimited("b");  // 5ms
  queue.addRateLimited("c");  // bucket: 100ms
  queue.addRateLimited("d");  // bucket: 200ms
  clock.advance(5ms);
  CHECK(takeAll(queue) == std::vector<std::string>{"a", "b"});
  clock.advance(95ms);
  CHECK(takeAll(queue) == std::vector<std::string>{"c"});
  clock.advance(99ms);
  CHECK(queue.len() == 0);
  clock.advance(1ms);
  CHECK(takeAll(queue) == std::vector<std::string>{"d"});
}

TEST_CASE("a blocked get wakes when a delayed key becomes ready", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  queue.addAfter("alice", 1h);
  auto got = std::async(std::launch::async, [&] { return queue.get(); });
  CHECK(got.wait_for(20ms) == std::future_status::timeout);
  clock.advance(1h);
  REQUIRE(got.wait_for(kWakeTimeout) == std::future_status::ready);
  CHECK(got.get() == std::optional<std::string>("alice"));
}

TEST_CASE("a blocked get wakes when a key is added", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  auto got = std::async(std::launch::async, [&] { return queue.get(); });
  CHECK(got.wait_for(20ms) == std::future_status::timeout);
  queue.add("bob");
  REQUIRE(got.wait_for(kWakeTimeout) == std::future_status::ready);
  CHECK(got.get() == std::optional<std::string>("bob"));
}

TEST_CASE("shutDown wakes every blocked get", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  queue.addAfter("never", 1h);
  std::vector<std::future<std::optional<std::string>>> getters;
  for (int i = 0; i < 4; ++i) getters.push_back(std::async(std::launch::async, [&] { return queue.get(); }));
  std::this_thread::sleep_for(20ms);
  queue.shutDown();
  for (auto& getter : getters) {
    REQUIRE(getter.wait_for(kWakeTimeout) == std::future_status::ready);
    CHECK(getter.get() == std::nullopt);
  }
  CHECK(queue.shuttingDown());
}

TEST_CASE("after shutDown ready keys are still handed out and new keys are ignored", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  queue.add("alice");
  queue.addAfter("delayed", 1ms);
  queue.shutDown();
  queue.add("bob");
  queue.addAfter("carol", 1ms);
  clock.advance(1s);
  CHECK(queue.get() == std::optional<std::string>("alice"));
  queue.done("alice");
  CHECK(queue.get() == std::nullopt);
  CHECK(queue.waitingLen() == 0);
}

TEST_CASE("shutDownWithDrain waits for workers to finish the queue", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  for (int i = 0; i < 10; ++i) queue.add("key-" + std::to_string(i));
  std::atomic<int> processed{0};
  std::thread worker([&] {
    while (auto key = queue.get()) {
      std::this_thread::sleep_for(1ms);
      ++processed;
      queue.done(*key);
    }
  });
  queue.shutDownWithDrain();
  CHECK(processed.load() == 10);
  worker.join();
  CHECK(queue.len() == 0);
}

TEST_CASE("concurrent workers never hold the same key at once", "[controller][queue]") {
  FakeClock clock;
  WorkQueue queue(clock);
  std::mutex mu;
  std::set<std::string> inFlight;
  std::atomic<int> overlaps{0};
  std::atomic<int> processed{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      while (auto key = queue.get()) {
        {
          std::lock_guard<std::mutex> guard(mu);
          if (!inFlight.insert(*key).second) ++overlaps;
        }
        std::this_thread::sleep_for(100us);
        {
          std::lock_guard<std::mutex> guard(mu);
          inFlight.erase(*key);
        }
        ++processed;
        queue.done(*key);
      }
    });
  }
  std::vector<std::thread> producers;
  for (int p = 0; p < 3; ++p) {
    producers.emplace_back([&] {
      for (int i = 0; i < 300; ++i) queue.add("key-" + std::to_string(i % 7));
    });
  }
  for (auto& producer : producers) producer.join();
  queue.shutDownWithDrain();
  for (auto& worker : workers) worker.join();
  CHECK(overlaps.load() == 0);
  CHECK(processed.load() >= 7);
  CHECK(processed.load() <= 900);
}

TEST_CASE("with the real clock a delayed key is handed out after its delay", "[controller][queue]") {
  sessiongate::RealClock clock;
  WorkQueue queue(clock);
  const auto start = std::chrono::steady_clock::now();
  queue.addAfter("alice", 20ms);
  auto key = queue.get();
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(key == std::optional<std::string>("alice"));
  CHECK(waited >= 20ms);
  CHECK(waited < kWakeTimeout);
}
