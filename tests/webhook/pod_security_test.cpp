// Fixture table of the Pod Security Standards checker: fixtures/pod-security.yaml holds one case per document
// (a pod, the level, the exempt containers and volumes, and the exact field errors expected, in order).
#include "webhook/validators/pod_security.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "core/object_loader.h"

namespace sessiongate::webhook {
namespace {

PodSecurityExemptions exemptionsOf(const Json& c) {
  PodSecurityExemptions exempt;
  if (!c.contains("exempt")) return exempt;
  for (const Json& ref : c["exempt"].value("containers", Json::array())) {
    exempt.containers.insert({ref[0].get<std::string>(), ref[1].get<std::size_t>()});
  }
  for (const Json& index : c["exempt"].value("volumes", Json::array()))
    exempt.volumes.insert(index.get<std::size_t>());
  return exempt;
}

std::vector<std::string> messages(const FieldErrors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.message());
  return out;
}

}  // namespace

TEST_CASE("pod security standards report every violation with its field path", "[webhook][pod-security]") {
  auto cases = loadObjects(std::filesystem::path(SESSIONGATE_FIXTURES) / "pod-security.yaml");
  INFO((cases.ok() ? std::string() : cases.error()));
  REQUIRE(cases.ok());
  REQUIRE(cases->size() >= 20);
  for (const Json& c : *cases) {
    DYNAMIC_SECTION(c["name"].get<std::string>()) {
      PodSecurityLevel level = c.value("level", "baseline") == "restricted" ? PodSecurityLevel::Restricted
                                                                            : PodSecurityLevel::Baseline;
      std::vector<std::string> want;
      for (const Json& m : c.value("errors", Json::array())) want.push_back(m.get<std::string>());
      CHECK(messages(checkPodSecurity(c["pod"], level, exemptionsOf(c))) == want);
    }
  }
}

TEST_CASE("baseline violations are also restricted violations", "[webhook][pod-security]") {
  Json pod = Json::parse(R"({"spec":{"hostNetwork":true,"containers":[{"name":"a","image":"x",
    "securityContext":{"privileged":true,"runAsNonRoot":true,"allowPrivilegeEscalation":false,
    "capabilities":{"drop":["ALL"]},"seccompProfile":{"type":"RuntimeDefault"}}}]}})");
  auto baseline = messages(checkPodSecurity(pod, PodSecurityLevel::Baseline));
  auto restricted = messages(checkPodSecurity(pod, PodSecurityLevel::Restricted));
  CHECK(baseline.size() == 2);
  CHECK(restricted == baseline);
}

}  // namespace sessiongate::webhook
