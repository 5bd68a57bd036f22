// Connections and threads: idle keep-alive connections must not delay new requests, and a drain lets
// requests in progress finish without waiting for idle clients.
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "harness.h"
#include "webhook/server/elastic_task_queue.h"

using namespace sessiongate::webhook;
using namespace sessiongate::webhook::testing;
using Clock = std::chrono::steady_clock;

namespace {

// openIdleConnections makes n keep-alive clients, each with one answered request and an open connection.
std::vector<std::unique_ptr<httplib::SSLClient>> openIdleConnections(int port,
                                                                     const std::filesystem::path& ca, int n) {
  std::vector<std::unique_ptr<httplib::SSLClient>> clients;
  for (int i = 0; i < n; ++i) {
    clients.push_back(verifyingClient(port, ca));
    auto res = clients.back()->Get("/healthz");
    if (!res || res->status != 200) FAIL("idle connection " << i << " got no answer");
  }
  return clients;
}

}  // namespace

TEST_CASE("cpp-httplib's default pool stalls a new request behind idle keep-alive connections",
          "[server][concurrency]") {
  // Documents why the server does not use the default ThreadPool: each idle keep-alive connection holds a
  // worker for the keep-alive timeout, so with every worker held a new request waits.
  TlsFixture tls("default-pool");
  auto options = tls.options();
  options.workers = WorkerModel::HttplibDefault;
  RunningServer running(options);
  const unsigned poolSize = std::max(8u, std::thread::hardware_concurrency() - 1);
  auto idle = openIdleConnections(running.port(), tls.pki.caFile(), static_cast<int>(poolSize));

  auto fresh = verifyingClient(running.port(), tls.pki.caFile());
  fresh->set_connection_timeout(2);
  fresh->set_read_timeout(2);
  fresh->set_write_timeout(2);
  auto started = Clock::now();
  auto res = fresh->Get("/healthz");
  CHECK_FALSE(res);  // not answered within 2 s: every worker waits on an idle connection
  CHECK(Clock::now() - started >= std::chrono::milliseconds(1900));
  fresh->stop();
  idle.clear();
}

TEST_CASE("with 200 idle keep-alive connections open a new request is answered promptly",
          "[server][concurrency]") {
  TlsFixture tls("elastic-pool");
  RunningServer running(tls.options());
  auto idle = openIdleConnections(running.port(), tls.pki.caFile(), 200);

  for (int i = 0; i < 3; ++i) {
    auto fresh = verifyingClient(running.port(), tls.pki.caFile());
    auto started = Clock::now();
    auto res = fresh->Post("/mutate", reviewBody("Pod"), "application/json");
    auto elapsed = Clock::now() - started;
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(elapsed < std::chrono::milliseconds(500));
  }
  // The idle connections are still usable.
  auto again = idle.front()->Get("/healthz");
  REQUIRE(again);
  CHECK(again->status == 200);
}

TEST_CASE("a drain finishes requests in progress and does not wait for idle connections", "[server][drain]") {
  TlsFixture tls("drain");
  RunningServer running(tls.options());
  auto idle = openIdleConnections(running.port(), tls.pki.caFile(), 3);

  auto slowClient = verifyingClient(running.port(), tls.pki.caFile());
  auto slow = std::async(std::launch::async, [&] {
    return slowClient->Post("/validate", reviewBody("Slow"), "application/json");
  });
  while (running.server().metrics().inFlight() == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));

  auto started = Clock::now();
  CHECK(running.stop(std::chrono::seconds(10)));
  auto drainTime = Clock::now() - started;
  CHECK(drainTime < std::chrono::seconds(2));  // far below the 90 s keep-alive timeout of the idle ones

  auto res = slow.get();
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == R"({"allowed":true})");

  auto late = verifyingClient(running.port(), tls.pki.caFile());
  late->set_connection_timeout(1);
  CHECK_FALSE(late->Get("/healthz"));  // the listener is closed
}

TEST_CASE("a drain that times out cuts the requests still in progress", "[server][drain]") {
  TlsFixture tls("drain-timeout");
  RunningServer running(tls.options());
  auto slowClient = verifyingClient(running.port(), tls.pki.caFile());
  auto slow = std::async(std::launch::async, [&] {
    return slowClient->Post("/validate", reviewBody("Slow"), "application/json");
  });
  while (running.server().metrics().inFlight() == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK_FALSE(running.server().shutdown(std::chrono::milliseconds(50)));
  CHECK_FALSE(slow.get());
}

TEST_CASE("the elastic queue grows on demand, stays within its bound and retires idle workers",
          "[server][taskqueue]") {
  ElasticTaskQueue queue(3, std::chrono::milliseconds(100));
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started{0};
  std::atomic<int> finished{0};
  for (int i = 0; i < 5; ++i) {
    queue.enqueue([&] {
      ++started;
      released.wait();
      ++finished;
    });
  }
  while (started < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(started == 3);  // bounded: two tasks wait for a worker
  CHECK(queue.workers() == 3);

  release.set_value();
  while (finished < 5) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto deadline = Clock::now() + std::chrono::seconds(2);
  while (queue.workers() > 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(queue.workers() == 0);  // idle workers exited after 100 ms

  std::atomic<int> late{0};
  queue.enqueue([&] { ++late; });
  queue.shutdown();
  CHECK(late == 1);
  CHECK(queue.workers() == 0);
}
