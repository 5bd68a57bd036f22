// The worker pod as the controller renders it, per Pod Security level of the profile.
#include <catch2/catch.hpp>

#include "controller/reconcile/worker_pod.h"

namespace sessiongate::controller {

TEST_CASE("the worker pod meets its profile's Pod Security level", "[controller][reconcile]") {
  UserSession session;
  session.name = "alice-locked";
  session.spec.user = "alice";
  session.spec.profile = "locked";
  SessionPolicy policy;
  Profile profile;
  profile.name = "locked";
  profile.image = "docker.io/library/python:3.12-slim";
  SessionFacts facts{session, policy, profile, "campus", "sess-alice-locked", "alice"};

  SECTION("baseline: the image's own user and no securityContext") {
    profile.podSecurity = PodSecurityLevel::Baseline;
    Json pod = workerPodObject(facts);
    CHECK(pod["spec"]["containers"][0] ==
          Json({{"name", "worker"}, {"image", "docker.io/library/python:3.12-slim"}}));
  }
  SECTION("restricted: what the standard asks, on the container (a pod-level one would bind the gateway)") {
    profile.podSecurity = PodSecurityLevel::Restricted;
    Json pod = workerPodObject(facts);
    CHECK(pod["spec"]["containers"][0]["securityContext"] ==
          Json::parse(R"({"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]},
                          "runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}})"));
    CHECK_FALSE(pod["spec"].contains("securityContext"));
  }
}

}  // namespace sessiongate::controller
