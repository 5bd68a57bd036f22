// A second reconcile of an unchanged session changes nothing: no apply, no status write and no Event, also
// when the cache has not caught up with the first one's writes. Plus the worker loop's bookkeeping and the
// metrics text.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>

#include "controller/http/metrics.h"
#include "controller/reconcile/workers.h"
#include "reconcile_fakes.h"
#include "tests/support/fake_clock.h"

namespace sessiongate::controller {
namespace {

using testing::FakeCache;
using testing::FakeCluster;

Json fixtureInput(const std::string& name) {
  std::ifstream in(std::filesystem::path(SESSIONGATE_FIXTURES) / "reconcile" / name);
  return Json::parse(in);
}

// mirror copies what the fake API server holds into the cache, as the informers would.
void mirror(const FakeCluster& cluster, FakeCache& cache) {
  cache.objects.clear();
  for (const auto& [key, object] : cluster.objects) cache.objects[key] = object;
}

// Rig is a reconciler over a fake API server holding one fixture's session and policy, at the fixture's time.
struct Rig {
  explicit Rig(const std::string& fixtureName) : fixture(fixtureInput(fixtureName)) {
    cluster.objects[sessionKey] = fixture["session"];
    cluster.objects[FakeCluster::key(kube::resources::kSessionPolicies, "", "default")] = fixture["policy"];
    clock.setWall(*parseTimestamp(fixture.at("now").get<std::string>()));
    options.clock = &clock;
  }
  // start makes the reconciler; the cache holds what the test put there by then.
  SessionReconciler& start() {
    reconciler = std::make_unique<SessionReconciler>(cluster, cache, ipam, events, options);
    return *reconciler;
  }

  const std::string sessionKey = FakeCluster::key(kube::resources::kUserSessions, "", "alice-1");
  Json fixture;
  FakeCluster cluster;
  FakeCache cache;
  IpamAllocator ipam{IpamConfig{}};
  FakeClock clock;
  EventRecorder events{cluster, clock, "test"};
  ReconcilerOptions options;
  std::unique_ptr<SessionReconciler> reconciler;
};

}  // namespace

TEST_CASE("reconciling an unchanged session again writes no status and records no Event",
          "[controller][reconcile]") {
  Rig rig("02-provision-with-exposure.json");
  FakeCluster& cluster = rig.cluster;
  FakeCache& cache = rig.cache;
  IpamAllocator& ipam = rig.ipam;
  FakeClock& clock = rig.clock;
  mirror(cluster, cache);
  SessionReconciler& reconciler = rig.start();

  REQUIRE_FALSE(reconciler.reconcile("alice-1").error);
  REQUIRE(cluster.events.size() == 1);  // Provisioned, naming the allocation
  Json statusAfterFirst =
      cluster.objects.at(FakeCluster::key(kube::resources::kUserSessions, "", "alice-1"))["status"];
  mirror(cluster, cache);
  cluster.calls.clear();
  clock.advance(std::chrono::minutes(1));

  ReconcileResult again = reconciler.reconcile("alice-1");
  CHECK_FALSE(again.error);
  REQUIRE(again.requeueAfter);
  CHECK(again.requeueAfter->count() == 2940500);  // 49 minutes (and half a second) to expiry
  CHECK(cluster.events.size() == 1);
  // The cache shows every child (8 and the Service) as the controller applied it: not one request.
  CHECK(cluster.calls == std::vector<std::string>{});
  CHECK(cluster.objects.at(FakeCluster::key(kube::resources::kUserSessions, "", "alice-1"))["status"] ==
        statusAfterFirst);
  REQUIRE(ipam.find("alice-1"));
  CHECK(ipam.find("alice-1")->ip.str() == "198.51.100.10");
}

TEST_CASE("workers forget successes, back off errors and count both", "[controller][reconcile]") {
  FakeCluster cluster;
  FakeCache cache;
  Json fixture = fixtureInput("01-provision-new-session.json");
  cache.put(kube::resources::kUserSessions, fixture["session"]);
  cluster.objects[FakeCluster::key(kube::resources::kUserSessions, "", "alice-1")] = fixture["session"];
  IpamAllocator ipam(IpamConfig{});
  EventRecorder events(cluster, realClock(), "test");
  SessionReconciler reconciler(cluster, cache, ipam, events, {});
  ControllerMetrics metrics;
  FakeClock clock;
  WorkQueue queue(clock);

  // No policy in the cache: the session is marked Error and not retried (the policy's arrival requeues it).
  queue.add("alice-1");
  REQUIRE(processNext(queue, reconciler, metrics, clock));
  CHECK(queue.numRequeues("alice-1") == 0);
  CHECK(queue.len() == 0);

  // Someone else writes a version without that status; writing it again fails: retried with backoff.
  Json edited = fixture["session"];
  edited["metadata"]["resourceVersion"] = "written-by-someone-else";
  edited.erase("status");
  cache.put(kube::resources::kUserSessions, edited);
  cluster.failures.insert("patch-status usersessions");
  queue.add("alice-1");
  REQUIRE(processNext(queue, reconciler, metrics, clock));
  CHECK(queue.numRequeues("alice-1") == 1);
  CHECK(queue.waitingLen() == 1);

  queue.shutDown();
  CHECK_FALSE(processNext(queue, reconciler, metrics, clock));
  std::string text = metrics.render();
  CHECK(text.find("sessiongate_controller_reconcile_total{result=\"success\"} 1\n") != std::string::npos);
  CHECK(text.find("sessiongate_controller_reconcile_total{result=\"error\"} 1\n") != std::string::npos);
  CHECK(text.find("sessiongate_controller_reconcile_duration_seconds_count 2\n") != std::string::npos);
}

TEST_CASE("metrics render the Prometheus text format", "[controller][metrics]") {
  ControllerMetrics metrics;
  metrics.recordReconcile("success", 0.02);
  metrics.recordReconcile("requeue", 3);
  metrics.recordApiRequest("apply", 200);
  metrics.recordApiRequest("apply", 200);
  metrics.recordApiRequest("get", 404);
  metrics.setQueueDepth([] { return std::size_t{7}; });
  metrics.setLeader(true);
  metrics.recordSessionEnded("expired");
  metrics.recordSessionEnded("expired");
  std::string text = metrics.render();
  for (const char* line : {
           "sessiongate_controller_reconcile_total{result=\"success\"} 1\n",
           "sessiongate_controller_reconcile_total{result=\"requeue\"} 1\n",
           "sessiongate_controller_reconcile_total{result=\"error\"} 0\n",
           "sessiongate_controller_reconcile_duration_seconds_bucket{le=\"0.01\"} 0\n",
           "sessiongate_controller_reconcile_duration_seconds_bucket{le=\"0.025\"} 1\n",
           "sessiongate_controller_reconcile_duration_seconds_bucket{le=\"5\"} 2\n",
           "sessiongate_controller_reconcile_duration_seconds_bucket{le=\"+Inf\"} 2\n",
           "sessiongate_controller_reconcile_duration_seconds_sum 3.02\n",
           "sessiongate_controller_workqueue_depth 7\n",
           "sessiongate_controller_api_requests_total{verb=\"apply\",code=\"200\"} 2\n",
           "sessiongate_controller_api_requests_total{verb=\"get\",code=\"404\"} 1\n",
           "sessiongate_controller_leader 1\n",
           "sessiongate_controller_sessions_ended_total{reason=\"expired\"} 2\n",
           "sessiongate_controller_sessions_ended_total{reason=\"idle\"} 0\n",
           "# TYPE sessiongate_controller_sessions_ended_total counter\n",
           "# TYPE sessiongate_controller_reconcile_duration_seconds histogram\n",
       }) {
    INFO(line);
    CHECK(text.find(line) != std::string::npos);
  }
}

TEST_CASE("a reconcile before the cache shows the controller's own writes repeats none of them",
          "[controller][reconcile]") {
  // The session arrives alone: provisioned, its status written and its Events sent; the informers have not
  // delivered any of it when the next reconcile runs (the status write's own watch event, a child's event).
  Rig rig("02-provision-with-exposure.json");
  FakeCluster& cluster = rig.cluster;
  FakeCache& cache = rig.cache;
  mirror(cluster, cache);
  SessionReconciler& reconciler = rig.start();

  REQUIRE_FALSE(reconciler.reconcile("alice-1").error);
  const std::size_t eventsAfterFirst = cluster.events.size();
  REQUIRE(eventsAfterFirst == 1);
  const std::string key = FakeCluster::key(kube::resources::kUserSessions, "", "alice-1");
  const Json statusAfterFirst = cluster.objects.at(key)["status"];
  cluster.calls.clear();

  ReconcileResult again = reconciler.reconcile("alice-1");  // the cache is as stale as before the first one
  REQUIRE_FALSE(again.error);
  CHECK(cluster.events.size() == eventsAfterFirst);
  CHECK(cluster.calls == std::vector<std::string>{});  // no create answered 409, no patch, no DriftRepaired
  REQUIRE(again.requeueAfter);
  CHECK(again.requeueAfter->count() == 30000);  // the net, should the informer never deliver the children
  CHECK(cluster.objects.at(key)["status"] == statusAfterFirst);

  // Once the cache shows the write, it is the truth again; a later version by someone else is too.
  mirror(cluster, cache);
  cluster.calls.clear();
  REQUIRE_FALSE(reconciler.reconcile("alice-1").error);
  CHECK(cluster.events.size() == eventsAfterFirst);
  for (const std::string& call : cluster.calls) CHECK(call.rfind("patch", 0) != 0);
  Json cleared = cache.objects.at(key);
  cleared["metadata"]["resourceVersion"] = "written-by-someone-else";
  cleared.erase("status");
  cache.objects[key] = cleared;
  cluster.calls.clear();
  REQUIRE_FALSE(reconciler.reconcile("alice-1").error);
  CHECK(std::count(cluster.calls.begin(), cluster.calls.end(), "patch-status usersessions /alice-1") == 1);
}

TEST_CASE("deleting a session sends each request once, whatever the cache shows in between",
          "[controller][reconcile]") {
  Rig rig("08-deleting-namespace-present.json");
  FakeCluster& cluster = rig.cluster;
  FakeCache& cache = rig.cache;
  IpamAllocator& ipam = rig.ipam;
  FakeClock& clock = rig.clock;
  const Json& fixture = rig.fixture;
  const std::string& sessionKey = rig.sessionKey;
  const std::string nsKey = FakeCluster::key(kube::resources::kNamespaces, "", "sess-alice-1");
  cluster.objects[nsKey] = fixture["cache"][0]["object"];
  mirror(cluster, cache);
  const Json present = cache.objects.at(nsKey);
  SessionReconciler& reconciler = rig.start();
  const ReconcilerOptions& options = rig.options;

  Json terminating = present;
  terminating["metadata"]["deletionTimestamp"] = "2026-01-01T00:10:01Z";
  struct Step {
    const char* what;
    std::optional<Json> namespaceInCache;
    std::vector<std::string> calls;
  };
  const Step steps[] = {
      {"the namespace is there: Terminating written, namespace deleted",
       present,
       {"patch-status usersessions /alice-1", "delete namespaces /sess-alice-1"}},
      {"the cache has not shown the DELETE yet: no second DELETE", present, {}},
      {"the namespace terminates", terminating, {}},
      {"the namespace is gone from the cache after terminating: no GET, the finalizer goes",
       std::nullopt,
       {"patch usersessions /alice-1"}},
  };
  for (const Step& step : steps) {
    INFO(step.what);
    if (step.namespaceInCache)
      cache.objects[nsKey] = *step.namespaceInCache;
    else
      cache.objects.erase(nsKey);
    cluster.calls.clear();
    clock.advance(std::chrono::seconds(1));
    REQUIRE_FALSE(reconciler.reconcile("alice-1").error);
    CHECK(cluster.calls == step.calls);
  }

  // A DELETE that never shows in the cache is sent again once the allowance has passed.
  SessionReconciler restarted(cluster, cache, ipam, rig.events, options);
  cluster.objects[sessionKey] = fixture["session"];
  cache.objects[sessionKey] = fixture["session"];
  cache.objects[nsKey] = present;
  cluster.calls.clear();
  REQUIRE_FALSE(restarted.reconcile("alice-1").error);
  CHECK(std::count(cluster.calls.begin(), cluster.calls.end(), "delete namespaces /sess-alice-1") == 1);
  clock.advance(options.cacheAllowance);
  cluster.calls.clear();
  REQUIRE_FALSE(restarted.reconcile("alice-1").error);
  CHECK(cluster.calls == std::vector<std::string>{"delete namespaces /sess-alice-1"});
  // Never seen terminating, gone from the cache: one GET settles it (here: still there, so nothing goes).
  cache.objects.erase(nsKey);
  cluster.objects[nsKey] = present;
  cluster.calls.clear();
  REQUIRE_FALSE(restarted.reconcile("alice-1").error);
  CHECK(cluster.calls == std::vector<std::string>{"get namespaces /sess-alice-1"});
}

TEST_CASE("the SessionPolicy is parsed once per resourceVersion and a new version is read at once",
          "[controller][reconcile]") {
  Rig rig("01-provision-new-session.json");
  const Json& fixture = rig.fixture;
  FakeCluster& cluster = rig.cluster;
  mirror(cluster, rig.cache);
  SessionReconciler& reconciler = rig.start();
  REQUIRE_FALSE(reconciler.reconcile("alice-1").error);
  const std::string& sessionKey = rig.sessionKey;
  CHECK(cluster.objects.at(sessionKey)["status"]["phase"] != "Error");

  // The admin removes the session's profile: the new version is parsed, the session reports it.
  Json edited = fixture["policy"];
  edited["metadata"]["resourceVersion"] = "8";
  edited["spec"]["profiles"] = Json::array();
  rig.cache.put(kube::resources::kSessionPolicies, edited);
  ReconcileResult result = reconciler.reconcile("alice-1");
  CHECK_FALSE(result.error);
  CHECK(cluster.objects.at(sessionKey)["status"]["phase"] == "Error");
  CHECK(cluster.objects.at(sessionKey)["status"]["message"].get<std::string>().find("profile") !=
        std::string::npos);
}

}  // namespace sessiongate::controller
