// The reconciler as a table of fixtures (tests/controller/fixtures/reconcile/*.json): a policy, a session,
// what the cache and the cluster hold, and the time; expected: the result, every API call in order, the
// objects the fake API server holds afterwards (exact JSON), the session's status and finalizers, and the
// Events. "trackers" (optional) are the activity trackers' answers: {"url", "body"} with an /activity body as
// the tracker writes it (parsed by the controller's own code), or {"url", "unreachable"} with the HTTP
// client's error. SESSIONGATE_UPDATE_FIXTURES=1 rewrites "expected" from the actual outcome (review the diff).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "controller/inactivity/tracker_reader.h"
#include "controller/ipam/rebuild.h"
#include "controller/reconcile/session_reconciler.h"
#include "reconcile_fakes.h"
#include "tests/support/fake_clock.h"

namespace sessiongate::controller {
namespace {

namespace fs = std::filesystem;
using testing::FakeCache;
using testing::FakeCluster;

Json readJson(const fs::path& path) {
  std::ifstream in(path);
  return Json::parse(in);
}

// Outcome is what one fixture produced, in the shape of its "expected" block.
Json runFixture(const Json& fixture) {
  FakeCluster cluster;
  FakeCache cache;
  const Json& session = fixture.at("session");
  std::string name = session["metadata"]["name"];
  cache.put(kube::resources::kUserSessions, session);
  cluster.objects[FakeCluster::key(kube::resources::kUserSessions, "", name)] = session;
  if (fixture.contains("policy")) cache.put(kube::resources::kSessionPolicies, fixture["policy"]);
  for (const Json& entry : fixture.value("cache", Json::array())) {
    const std::string& resource = entry["resource"].get_ref<const std::string&>();
    kube::ResourceRef ref = kube::resources::kNamespaces;
    for (const kube::ResourceRef* known :
         {&kube::resources::kServices, &kube::resources::kPods, &kube::resources::kResourceQuotas,
          &kube::resources::kLimitRanges, &kube::resources::kNetworkPolicies, &kube::resources::kRoleBindings,
          &kube::resources::kUserSessions}) {
      if (known->resource == resource) ref = *known;
    }
    // inCache false: the API server has it but the informer has not seen it (not labelled, or behind).
    if (entry.value("inCache", true)) cache.put(ref, entry["object"]);
    if (entry.value("inCluster", true)) {
      cluster.objects[FakeCluster::key(ref, entry["object"]["metadata"].value("namespace", ""),
                                       entry["object"]["metadata"]["name"].get<std::string>())] =
          entry["object"];
    }
  }
  for (const Json& failure : fixture.value("failures", Json::array()))
    cluster.failures.insert(failure.get<std::string>());
  const Json refusals = fixture.value("refusals", Json::object());
  for (const auto& [call, refusal] : refusals.items()) {
    cluster.refusals[call] = kube::ApiError{refusal.at("code").get<int>(), refusal.at("reason").get<std::string>(),
                                            refusal.at("message").get<std::string>(), {}};
  }
  cluster.invalidPodApplies = fixture.value("invalidPodApplies", 0);

  IpamAllocator ipam(IpamConfig{});
  if (fixture.contains("policy")) {
    PolicyParse policy = parsePolicy(fixture["policy"]);
    if (policy.policy.publicExposure) {
      ipam.setConfig(*IpamConfig::fromPolicy(*policy.policy.publicExposure));
      ipam.reset(rebuildAllocations(fixture.value("clusterServices", Json::array()),
                                    policy.policy.publicExposure->ipAnnotation)
                     .table);
    }
  }
  WallTime now = *parseTimestamp(fixture.at("now").get<std::string>());
  FakeClock clock;
  clock.setWall(now);
  EventRecorder events(cluster, clock, "test-instance");
  ReconcilerOptions options;
  options.clock = &clock;
  Json enqueued = Json::array();
  options.enqueue = [&enqueued](const std::string& other) { enqueued.push_back(other); };
  Json ended = Json::array();
  options.sessionEnded = [&ended](const std::string& reason) { ended.push_back(reason); };
  if (fixture.contains("trackers")) {
    std::vector<TrackerReading> readings;
    for (const Json& tracker : fixture["trackers"]) {
      const std::string url = tracker.at("url").get<std::string>();
      if (tracker.contains("unreachable")) {
        TrackerReading reading;
        reading.source = url;
        reading.problem = "cannot read /activity: " + tracker["unreachable"].get<std::string>();
        readings.push_back(reading);
      } else {
        readings.push_back(readingFromBody(url, tracker.at("body").dump()));
      }
    }
    options.activity = [readings] { return readings; };
  }
  SessionReconciler reconciler(cluster, cache, ipam, events, options);
  ReconcileResult result = reconciler.reconcile(name);

  Json out;
  out["result"] = {
      {"error", result.error ? Json(*result.error) : Json(nullptr)},
      {"requeueAfterMs", result.requeueAfter ? Json(result.requeueAfter->count()) : Json(nullptr)}};
  out["calls"] = cluster.calls;
  Json applied = Json::object();
  Json stored = nullptr;
  for (const auto& [key, object] : cluster.objects) {
    if (key == FakeCluster::key(kube::resources::kUserSessions, "", name)) {
      stored = object;
    } else if (key.rfind("usersessions ", 0) == 0) {
      continue;  // the user's other sessions: context, not output
    } else {
      applied[key] = object;
    }
  }
  out["applied"] = applied;
  out["status"] = stored.is_null() ? Json(nullptr) : stored.value("status", Json(nullptr));
  out["finalizers"] =
      stored.is_null() ? Json(nullptr) : stored["metadata"].value("finalizers", Json::array());
  Json recorded = Json::array();
  for (const Json& event : cluster.events) {
    recorded.push_back({{"type", event["type"]}, {"reason", event["reason"]}, {"message", event["message"]}});
  }
  out["events"] = recorded;
  // Only fixtures where the reconcile asks for other sessions carry "enqueued".
  if (!enqueued.empty()) out["enqueued"] = enqueued;
  // Only fixtures where the controller ends the session carry "ended" (the reason the metrics count).
  if (!ended.empty()) out["ended"] = ended;
  auto allocation = ipam.find(name);
  out["ipam"] = allocation ? toJson(*allocation) : Json(nullptr);
  return out;
}

}  // namespace

TEST_CASE("reconcile fixtures: session and policy in, exact calls, objects, status and events out",
          "[controller][reconcile]") {
  fs::path dir = fs::path(SESSIONGATE_FIXTURES) / "reconcile";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 10);
  bool update = std::getenv("SESSIONGATE_UPDATE_FIXTURES") != nullptr;
  for (const fs::path& file : files) {
    Json fixture = readJson(file);
    Json actual = runFixture(fixture);
    if (update) {
      fixture["expected"] = actual;
      std::ofstream(file) << fixture.dump(2) << "\n";
      continue;
    }
    const Json& expected = fixture.at("expected");
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      INFO(file.filename().string() << ": " << it.key() << "\nactual:   " << actual[it.key()].dump(1)
                                    << "\nexpected: " << it.value().dump(1));
      CHECK(actual[it.key()] == it.value());
    }
    // Every part of the outcome is asserted: an "enqueued" or "ended" the fixture does not expect fails too.
    for (auto it = actual.begin(); it != actual.end(); ++it) {
      INFO(file.filename().string() << ": unexpected " << it.key() << ": " << it.value().dump(1));
      CHECK(expected.contains(it.key()));
    }
  }
}

}  // namespace sessiongate::controller
