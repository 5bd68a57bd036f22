// WorkerReady as a fixture table (tests/controller/fixtures/worker/pods.json): a worker pod's status in,
// the exact condition (status, reason, message) and whether it is a failure out. The statuses are the shapes
// the kubelet writes (waiting reasons and messages as kubelet v1.32 words them).
// Each pod is also assessed as the controller's pod store keeps it (trimFor(pods)): the trim must keep
// everything the assessment reads. SESSIONGATE_UPDATE_FIXTURES=1 rewrites "expected" from the actual outcome
// (review the diff).
#include "controller/reconcile/worker_status.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "controller/informers/object_trim.h"

namespace sessiongate::controller {
namespace {

Json actualOf(const WorkerAssessment& assessment) {
  return {{"type", assessment.condition.type},
          {"status", assessment.condition.status},
          {"reason", assessment.condition.reason},
          {"message", assessment.condition.message},
          {"failed", assessment.failed}};
}

}  // namespace

TEST_CASE("worker pod status -> WorkerReady condition, exact reason and message", "[controller][reconcile]") {
  std::filesystem::path file = std::filesystem::path(SESSIONGATE_FIXTURES) / "worker" / "pods.json";
  Json table = Json::parse(std::ifstream(file));
  REQUIRE(table["cases"].size() >= 15);
  bool update = std::getenv("SESSIONGATE_UPDATE_FIXTURES") != nullptr;
  for (Json& entry : table["cases"]) {
    std::optional<Json> pod;
    if (!entry["pod"].is_null()) pod = entry["pod"];
    Json actual = actualOf(assessWorkerPod(pod ? &*pod : nullptr, "sess-a", "worker"));
    if (update) {
      entry["expected"] = actual;
      continue;
    }
    INFO(entry["name"].get<std::string>() << "\nactual:   " << actual.dump(1));
    CHECK(actual == entry.at("expected"));
    if (pod) {
      Json stored = *pod;
      trimFor(kube::resources::kPods)(stored);
      CHECK(actualOf(assessWorkerPod(&stored, "sess-a", "worker")) == entry.at("expected"));
    }
  }
  if (update) std::ofstream(file) << table.dump(2) << "\n";
}

TEST_CASE("a refused worker create carries the API server's words", "[controller][reconcile]") {
  struct Case {
    kube::ApiError error;
    std::string message;
  };
  std::vector<Case> cases = {
      {{403,
        "Forbidden",
        "pods \"worker\" is forbidden: exceeded quota: session-quota, requested: pods=1, used: pods=4, "
        "limited: pods=4",
        {}},
       "the API server refused to create worker pod sess-a/worker: Error from server (Forbidden): pods "
       "\"worker\" is forbidden: exceeded quota: session-quota, requested: pods=1, used: pods=4, limited: "
       "pods=4"},
      {{403,
        "Forbidden",
        "admission webhook \"pods.validate.sessiongate.io\" denied the request: spec.containers[0].image: "
        "Forbidden: not an image of profile shell",
        {}},
       "the API server refused to create worker pod sess-a/worker: Error from server (Forbidden): admission "
       "webhook \"pods.validate.sessiongate.io\" denied the request: spec.containers[0].image: Forbidden: "
       "not "
       "an image of profile shell"},
  };
  for (const Case& c : cases) {
    WorkerAssessment assessment = assessRefusedWorker(c.error, "sess-a", "worker");
    CHECK(assessment.failed);
    CHECK(assessment.condition.type == "WorkerReady");
    CHECK_FALSE(assessment.condition.status);
    CHECK(assessment.condition.reason == "PodCreateRefused");
    CHECK(assessment.condition.message == c.message);
  }
}

}  // namespace sessiongate::controller
