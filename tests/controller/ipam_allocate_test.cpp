#include <catch2/catch.hpp>
#include <string>

#include "controller/ipam/ipam.h"
#include "ipam_fixtures.h"

namespace t = sessiongate::testing;
using sessiongate::Allocation;
using sessiongate::AllocationTable;

namespace {

// requireNoOtherHolder checks that nothing in allocation is held by another session of the table.
void requireNoOtherHolder(const AllocationTable& table, const std::string& session,
                          const Allocation& allocation) {
  for (const auto& port : allocation.ports) {
    auto holder = table.holder(allocation.ip, port.key());
    INFO(allocation.ip.str() << " " << port.key().str());
    CHECK((!holder || *holder == session));
  }
}

}  // namespace

TEST_CASE("IPAM allocation fixtures", "[controller][ipam]") {
  const auto cases = t::fixtureCases("ipam/allocate");
  REQUIRE(cases.size() >= 30);
  for (const auto& c : cases) {
    const std::string name = c.at("name");
    SECTION(name) {
      const auto config = t::ipamConfig(c);
      AllocationTable table = t::table(c.value("allocations", sessiongate::Json::array()));
      const auto request = t::request(c.at("request"));
      auto result = sessiongate::allocate(config, table, request);
      if (c.contains("expectError")) {
        REQUIRE_FALSE(result.ok());
        CHECK(result.error() == c["expectError"].get<std::string>());
        continue;
      }
      INFO((result.ok() ? std::string() : result.error()));
      REQUIRE(result.ok());
      CHECK(sessiongate::toJson(*result) == c.at("expect"));
      requireNoOtherHolder(table, request.session, *result);

      // Level-based reconcile: once assigned, the same request gives the same answer.
      table.assign(request.session, *result);
      auto again = request;
      again.currentIp = result->ip;
      auto second = sessiongate::allocate(config, table, again);
      REQUIRE(second.ok());
      CHECK(*second == *result);
    }
  }
}

TEST_CASE("IPAM gives a second session on a full address other ports, never the same", "[controller][ipam]") {
  const auto config = t::ipamConfig({{"pool", {"192.0.2.7"}}, {"autoPortRange", "49152-49155"}});
  AllocationTable table;
  std::vector<int> ports;
  for (int i = 0; i < 4; ++i) {
    sessiongate::AllocationRequest request{"s" + std::to_string(i), {{"web", "TCP", 80, 0}}, std::nullopt};
    auto result = sessiongate::allocate(config, table, request);
    REQUIRE(result.ok());
    table.assign(request.session, *result);
    ports.push_back(result->ports[0].port);
  }
  CHECK(ports == std::vector<int>{49152, 49153, 49154, 49155});
  sessiongate::AllocationRequest fifth{"s4", {{"web", "TCP", 80, 0}}, std::nullopt};
  auto full = sessiongate::allocate(config, table, fifth);
  REQUIRE_FALSE(full.ok());
  CHECK(full.error() ==
        "no IP in the pool fits the 1 requested port(s): 192.0.2.7 (only 0 TCP port(s) of autoPortRange "
        "49152-49155 are free, 1 needed); every address of the pool (192.0.2.7) is in use. Request fewer or "
        "other ports, or add addresses to the pool");
  // Releasing one session frees exactly its port for the next one.
  table.release("s2");
  auto after = sessiongate::allocate(config, table, fifth);
  REQUIRE(after.ok());
  CHECK(after->ports[0].port == 49154);
}

TEST_CASE("IPAM config reports a bad pool entry", "[controller][ipam]") {
  sessiongate::PublicExposureConfig exposure;
  exposure.ipPool = {"192.0.2.0/30", "not-an-ip"};
  auto config = sessiongate::IpamConfig::fromPolicy(exposure);
  REQUIRE_FALSE(config.ok());
  CHECK(config.error().rfind("publicExposure.ipPool[1]", 0) == 0);
}
