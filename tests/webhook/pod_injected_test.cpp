// Fixture table of checkInjectedParts: fixtures/injected-parts.yaml holds one case per document (a pod in a
// session namespace of fixtures/_cluster, and the exact field errors, exempt containers and exempt volumes).
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/cluster_files.h"
#include "core/object_loader.h"
#include "webhook/validators/pod_rules.h"

namespace sessiongate::webhook {

TEST_CASE("injected parts pass only exactly as injected", "[webhook][injected]") {
  namespace fs = std::filesystem;
  auto files = loadClusterFiles({fs::path(SESSIONGATE_FIXTURES) / "_cluster"}, "default");
  REQUIRE(files.ok());
  MemoryClusterView view;
  applyClusterFiles(*files, view);
  auto cases = loadObjects(fs::path(SESSIONGATE_FIXTURES) / "injected-parts.yaml");
  INFO((cases.ok() ? std::string() : cases.error()));
  REQUIRE(cases.ok());
  REQUIRE(cases->size() >= 10);
  for (const Json& c : *cases) {
    DYNAMIC_SECTION(c["name"].get<std::string>()) {
      const Json& pod = c["pod"];
      SessionLookup lookup = lookupSession(view, pod["metadata"]["namespace"].get<std::string>());
      REQUIRE(lookup.error.empty());
      InjectedPartsCheck check = checkInjectedParts(pod, lookup.context);
      Json errors = Json::array();
      for (const auto& e : check.errors) errors.push_back(e.message());
      Json exemptContainers = Json::array();
      for (const auto& [list, index] : check.exempt.containers) exemptContainers.push_back({list, index});
      Json exemptVolumes = Json::array();
      for (std::size_t index : check.exempt.volumes) exemptVolumes.push_back(index);
      CHECK(errors == c.value("errors", Json::array()));
      CHECK(exemptContainers == c.value("exemptContainers", Json::array()));
      CHECK(exemptVolumes == c.value("exemptVolumes", Json::array()));
    }
  }
}

}  // namespace sessiongate::webhook
