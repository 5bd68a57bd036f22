// A second reconcile of an unchanged session changes nothing: the same applies (no-ops for the API server),
// no status write and no Event. Plus the worker loop's bookkeeping and the metrics text.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "controller/http/metrics.h"
#include "controller/reconcile/workers.h"
#include "reconcile_fakes.h"

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

}  // namespace

TEST_CASE("reconciling an unchanged session again writes no status and records no Event",
          "[controller][reconcile]") {
  Json fixture = fixtureInput("02-provision-with-exposure.json");
  FakeCluster cluster;
  FakeCache cache;
  cluster.objects[FakeCluster::key(kube::resources::kUserSessions, "", "alice-1")] = fixture["session"];
  cluster.objects[FakeCluster::key(kube::resources::kSessionPolicies, "", "default")] = fixture["policy"];
  mirror(cluster, cache);
  IpamAllocator ipam(IpamConfig{});
  WallTime now = *parseTimestamp("2026-01-01T00:10:00Z");
  WallClock clock = [&now] { return now; };
  EventRecorder events(cluster, clock, "test");
  ReconcilerOptions options;
  options.clock = clock;
  SessionReconciler reconciler(cluster, cache, ipam, events, options);

  REQUIRE_FALSE(reconciler.reconcile("alice-1").error);
  REQUIRE(cluster.events.size() == 2);
  Json statusAfterFirst =
      cluster.objects.at(FakeCluster::key(kube::resources::kUserSessions, "", "alice-1"))["status"];
  mirror(cluster, cache);
  cluster.calls.clear();
  now += std::chrono::minutes(1);

  ReconcileResult again = reconciler.reconcile("alice-1");
  CHECK_FALSE(again.error);
  REQUIRE(again.requeueAfter);
  CHECK(again.requeueAfter->count() == 2940500);  // 49 minutes (and half a second) to expiry
  CHECK(cluster.events.size() == 2);
  for (const std::string& call : cluster.calls) {
    INFO(call);
    CHECK(call.rfind("apply ", 0) == 0);
  }
  CHECK(cluster.calls.size() == 9);  // 8 children and the Service
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
  EventRecorder events(cluster, systemWallClock(), "test");
  SessionReconciler reconciler(cluster, cache, ipam, events, {});
  ControllerMetrics metrics;
  FakeClock clock;
  WorkQueue queue(clock);

  // No policy in the cache: the session is marked Error and not retried (the policy's arrival requeues it).
  queue.add("alice-1");
  REQUIRE(processNext(queue, reconciler, metrics));
  CHECK(queue.numRequeues("alice-1") == 0);
  CHECK(queue.len() == 0);

  // The status write fails (the cache still shows no status, so it is written again): retried with backoff.
  cluster.failures.insert("patch-status usersessions");
  queue.add("alice-1");
  REQUIRE(processNext(queue, reconciler, metrics));
  CHECK(queue.numRequeues("alice-1") == 1);
  CHECK(queue.waitingLen() == 1);

  queue.shutDown();
  CHECK_FALSE(processNext(queue, reconciler, metrics));
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

}  // namespace sessiongate::controller
