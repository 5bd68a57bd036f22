// Readiness of the webhook as a table, and the refusal every session gets before the first SessionPolicy:
// an install in any order (policy first, webhook first, all in one apply) must converge.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json.h"
#include "webhook/admission/readiness.h"
#include "webhook/admission/reviewer.h"

namespace sessiongate::webhook {

TEST_CASE("readiness: cluster mode needs a synced cache, not a policy; file mode needs the policy",
          "[webhook][readiness]") {
  struct Case {
    const char* name;
    ReadinessState state;
    std::optional<std::string> reason;
  };
  const std::vector<Case> cases = {
      {"cluster, not synced, no policy", {PolicySource::Cluster, false, false, "default"},
       "the cluster cache has not synced yet"},
      {"cluster, not synced, policy", {PolicySource::Cluster, false, true, "default"},
       "the cluster cache has not synced yet"},
      {"cluster, synced, no policy yet: ready, so the first SessionPolicy can be admitted",
       {PolicySource::Cluster, true, false, "default"}, std::nullopt},
      {"cluster, synced, policy", {PolicySource::Cluster, true, true, "default"}, std::nullopt},
      {"files, not loaded", {PolicySource::Files, false, false, "staging"},
       "SessionPolicy \"staging\" not loaded from the policy files"},
      {"files, loaded", {PolicySource::Files, false, true, "staging"}, std::nullopt},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) { CHECK(notReadyReason(c.state) == c.reason); }
  }
}

TEST_CASE("without a policy, sessions are refused naming the policy the webhook waits for",
          "[webhook][readiness]") {
  std::ifstream in(std::filesystem::path(SESSIONGATE_FIXTURES) / "us-no-policy-loaded" / "review.json");
  std::stringstream body;
  body << in.rdbuf();
  MemoryClusterView view;
  view.setPolicyName("staging");
  Reviewer reviewer(view);
  ReviewAnswer answer = reviewer(Endpoint::Validate, body.str());
  REQUIRE(answer.status == 200);
  CHECK(answer.decision == "denied");
  CHECK(Json::parse(answer.body)["response"]["status"]["message"] ==
        "no SessionPolicy \"staging\" loaded: sessions and session pods are refused until a platform admin creates "
        "the SessionPolicy \"staging\" (kubectl apply -f POLICY.yaml; the webhook's --policy-name chooses the "
        "name), then retry");
}

}  // namespace sessiongate::webhook
