// Reflector against a local server: relist on 410, resume from the last bookmark, backoff with a fake clock.
#include "core/kube/reflector.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <thread>

#include "fake_api_server.h"
#include "tests/support/fake_clock.h"

namespace sessiongate::kube {
namespace {

using testing::CannedResponse;
using testing::FakeApiServer;
using testing::fixture;

const std::string kCmPath = "/api/v1/namespaces/e2e/configmaps";

std::string names(const std::vector<Json>& items) {
  std::string out;
  for (const Json& item : items)
    out += (out.empty() ? "" : ",") + item["metadata"]["name"].get<std::string>();
  return out;
}

// BackoffClock is a fake clock for the reflector's thread: every wait jumps to its deadline at once and is
// recorded; after stopAfter waits it stops the reflector (a wait releases the lock, as a condition variable's
// wait does, so stop() can take it).
class BackoffClock : public FakeClock {
 public:
  std::function<void()> stopReflector;
  std::size_t stopAfter = 100;

  void waitUntil(std::condition_variable&, std::unique_lock<std::mutex>& lock, TimePoint deadline) const override {
    std::size_t count = 0;
    {
      std::lock_guard<std::mutex> guard(waitsMu_);
      waits_.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now()).count());
      count = waits_.size();
    }
    const_cast<BackoffClock*>(this)->set(deadline);
    if (count >= stopAfter) {
      lock.unlock();
      stopReflector();
      lock.lock();
    }
  }
  std::vector<long> waits() const {
    std::lock_guard<std::mutex> guard(waitsMu_);
    return waits_;
  }

 private:
  mutable std::mutex waitsMu_;
  mutable std::vector<long> waits_;
};

// Harness runs a reflector on its own thread and records what its handlers saw.
struct Harness {
  FakeApiServer server;
  std::unique_ptr<KubeClient> client;
  std::mutex mu;
  std::vector<std::string> seen;
  BackoffClock clock;
  int synced = 0;
  std::unique_ptr<Reflector> reflector;
  std::thread thread;

  ~Harness() {
    if (thread.joinable()) finish();
  }

  void start(std::size_t stopAfterSleeps = 100) {
    ClientConfig config;
    config.server = server.url();
    config.origin = "test";
    client = std::move(*KubeClient::fromConfig(config));
    ReflectorOptions options;
    options.ns = "e2e";
    options.pageSize = 2;
    options.random = [] { return 0.5; };
    clock.stopAfter = stopAfterSleeps;
    clock.stopReflector = [this] { reflector->stop(); };
    options.clock = &clock;
    ReflectorHandlers handlers;
    auto record = [this](std::string what) {
      std::lock_guard<std::mutex> lock(mu);
      seen.push_back(std::move(what));
    };
    handlers.onReplace = [record](std::vector<Json> items) { record("replace " + names(items)); };
    handlers.onAdd = [record](const Json& o) { record("add " + o["metadata"]["name"].get<std::string>()); };
    handlers.onUpdate = [record](const Json& o) {
      record("update " + o["metadata"]["name"].get<std::string>());
    };
    handlers.onDelete = [record](const Json& o) {
      record("delete " + o["metadata"]["name"].get<std::string>());
    };
    handlers.onSynced = [this] {
      std::lock_guard<std::mutex> lock(mu);
      ++synced;
    };
    reflector = std::make_unique<Reflector>(*client, resources::kConfigMaps, options, handlers);
    thread = std::thread([this] { reflector->run(); });
  }

  // waitFor polls until pred holds (under the lock) or five seconds pass.
  bool waitFor(const std::function<bool()>& pred) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (pred()) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  void finish() {
    reflector->stop();
    thread.join();
  }

  std::vector<std::string> watchVersions() const {
    std::vector<std::string> out;
    for (const auto& r : server.requests("WATCH", kCmPath)) {
      auto at = r.query.find("resourceVersion=");
      out.push_back(at == std::string::npos ? "" : r.query.substr(at + 16, r.query.find('&', at) - at - 16));
    }
    return out;
  }
};

TEST_CASE("reflector lists in pages, applies events and relists after an ERROR 410", "[kube][reflector]") {
  Harness h;
  std::string page1 = fixture("configmap_list_page1.json"), page2 = fixture("configmap_list_page2.json");
  h.server.on("GET", kCmPath, {{200, page1}, {200, page2}, {200, page1}, {200, page2}});
  h.server.on("WATCH", kCmPath,
              {{200, fixture("watch_configmaps.jsonl"), 7, CannedResponse::End::Complete},
               {200, "", 1, CannedResponse::End::Hang}});
  h.start();
  REQUIRE(h.waitFor([&] { return h.seen.size() >= 5 && h.server.requests("WATCH", kCmPath).size() >= 2; }));
  CHECK(h.reflector->hasSynced());
  h.finish();  // also proves stop() interrupts the quiet watch

  CHECK(h.seen == std::vector<std::string>{"replace app-1,app-2,app-3", "add app-4", "update app-4",
                                           "delete app-1", "replace app-1,app-2,app-3"});
  CHECK(h.synced == 1);
  CHECK(h.clock.waits().empty());
  CHECK(h.server.requests("GET", kCmPath).size() == 4);
  CHECK(h.watchVersions() == std::vector<std::string>{"1200", "1200"});
  auto watches = h.server.requests("WATCH", kCmPath);
  CHECK(watches[0].query == "watch=true&resourceVersion=1200&allowWatchBookmarks=true&timeoutSeconds=300");
  CHECK(h.server.requests("GET", kCmPath)[0].query == "limit=2");
}

TEST_CASE("reflector relists when the watch answers HTTP 410", "[kube][reflector]") {
  Harness h;
  h.server.on("GET", kCmPath, {{200, fixture("configmap_list_page2.json")}});
  h.server.on("WATCH", kCmPath,
              {{410, fixture("status_410_expired.json")}, {200, "", 1, CannedResponse::End::Hang}});
  h.start();
  REQUIRE(h.waitFor([&] { return h.seen.size() >= 2 && h.server.requests("WATCH", kCmPath).size() >= 2; }));
  h.finish();
  CHECK(h.seen == std::vector<std::string>{"replace app-3", "replace app-3"});
  CHECK(h.clock.waits().empty());
}

TEST_CASE("reflector resumes from the last bookmark after a disconnect, without relisting",
          "[kube][reflector]") {
  Harness h;
  h.server.on("GET", kCmPath, {{200, fixture("configmap_list_page2.json")}});
  h.server.on("WATCH", kCmPath,
              {{200, fixture("watch_bookmark_then_drop.jsonl"), 16, CannedResponse::End::Abort},
               {200, "", 1, CannedResponse::End::Hang}});
  h.start();
  REQUIRE(h.waitFor([&] { return h.server.requests("WATCH", kCmPath).size() >= 2; }));
  CHECK(h.reflector->resourceVersion() == "1250");
  h.finish();
  CHECK(h.seen == std::vector<std::string>{"replace app-3", "add app-4"});
  CHECK(h.watchVersions() == std::vector<std::string>{"1200", "1250"});
  CHECK(h.server.requests("GET", kCmPath).size() == 1);
  CHECK(h.clock.waits() == std::vector<long>{600});
}

TEST_CASE("reflector backs off exponentially and resets after a healthy watch",
          "[kube][reflector][backoff]") {
  Harness h;
  h.server.on("GET", kCmPath, {{200, fixture("configmap_list_page2.json")}});
  CannedResponse drop{200, "", 1, CannedResponse::End::Abort};
  CannedResponse longThenDrop = drop;
  longThenDrop.beforeSend = [&h] { h.clock.advance(std::chrono::seconds(120)); };  // this watch stays up two (fake) minutes
  h.server.on("WATCH", kCmPath, {drop, drop, drop, longThenDrop, drop});
  h.start(5);
  h.thread.join();  // the sleeper stops the reflector after five sleeps
  CHECK(h.clock.waits() == std::vector<long>{600, 1200, 2400, 600, 1200});
  CHECK(h.server.requests("WATCH", kCmPath).size() == 5);
  CHECK(h.server.requests("GET", kCmPath).size() == 1);
}

}  // namespace
}  // namespace sessiongate::kube
