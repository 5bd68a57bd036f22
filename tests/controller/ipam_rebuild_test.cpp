#include <catch2/catch.hpp>
#include <string>

#include "controller/ipam/ipam.h"
#include "controller/ipam/rebuild.h"
#include "controller/ipam/service_annotations.h"
#include "ipam_fixtures.h"

namespace t = sessiongate::testing;
using sessiongate::Json;

TEST_CASE("IPAM rebuild from Services fixtures", "[controller][ipam][rebuild]") {
  const auto cases = t::fixtureCases("ipam/rebuild");
  REQUIRE(cases.size() >= 6);
  for (const auto& c : cases) {
    const std::string name = c.at("name");
    SECTION(name) {
      auto result = sessiongate::rebuildAllocations(
          c.at("services"), c.value("ipAnnotation", std::string("metallb.universe.tf/loadBalancerIPs")));
      Json sessions = Json::object();
      for (const auto& [session, allocation] : result.table.sessions()) {
        sessions[session] = sessiongate::toJson(allocation);
      }
      const Json& expect = c.at("expect");
      CHECK(sessions == expect.at("sessions"));
      CHECK(t::holdersJson(result.table) == expect.at("holders"));
      CHECK(Json(result.conflicts) == expect.at("conflicts"));
      CHECK(Json(result.skipped) == expect.at("skipped"));
    }
  }
}

TEST_CASE("IPAM moves the loser of a rebuilt conflict to another address", "[controller][ipam][rebuild]") {
  const auto cases = t::fixtureCases("ipam/rebuild");
  const auto conflict = std::find_if(cases.begin(), cases.end(), [](const Json& c) {
    return c.at("name").get<std::string>().find("two Services claiming") != std::string::npos;
  });
  REQUIRE(conflict != cases.end());
  auto rebuilt =
      sessiongate::rebuildAllocations(conflict->at("services"), "metallb.universe.tf/loadBalancerIPs");
  const auto config = t::ipamConfig({{"pool", {"192.0.2.1-192.0.2.2"}}});

  sessiongate::AllocationRequest alice{"alice", {{"web", "TCP", 80, 8080}}, t::ip("192.0.2.1")};
  auto kept = sessiongate::allocate(config, rebuilt.table, alice);
  REQUIRE(kept.ok());
  CHECK(sessiongate::toJson(*kept) == Json::parse(R"({"ip": "192.0.2.1", "ports": [
      {"name": "web", "protocol": "TCP", "port": 8080, "targetPort": 80}]})"));

  sessiongate::AllocationRequest bob{
      "bob", {{"web", "TCP", 80, 8080}, {"game", "UDP", 80, 8080}}, t::ip("192.0.2.1")};
  auto moved = sessiongate::allocate(config, rebuilt.table, bob);
  REQUIRE(moved.ok());
  CHECK(sessiongate::toJson(*moved) == Json::parse(R"({"ip": "192.0.2.2", "ports": [
      {"name": "web", "protocol": "TCP", "port": 8080, "targetPort": 80},
      {"name": "game", "protocol": "UDP", "port": 8080, "targetPort": 80}]})"));
}

TEST_CASE("IPAM Service annotations fixtures", "[controller][ipam][annotations]") {
  const Json cases = t::readJsonFile(std::string(SESSIONGATE_FIXTURES) + "/ipam/annotations.json");
  REQUIRE(cases.size() == 3);
  for (const auto& c : cases) {
    const std::string name = c.at("name");
    SECTION(name) {
      sessiongate::PublicExposureConfig exposure;
      const Json& e = c.at("exposure");
      if (e.contains("ipAnnotation")) exposure.ipAnnotation = e["ipAnnotation"];
      if (e.contains("sharedIPKey")) exposure.sharedIPKey = e["sharedIPKey"];
      if (e.contains("commonAnnotations")) {
        exposure.commonAnnotations = e["commonAnnotations"].get<std::map<std::string, std::string>>();
      }
      CHECK(Json(sessiongate::serviceAnnotations(exposure, t::ip(c.at("ip")))) == c.at("expect"));
    }
  }
}
