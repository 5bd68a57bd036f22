#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "controller/ipam/ipam_allocator.h"
#include "ipam_fixtures.h"

namespace t = sessiongate::testing;
using sessiongate::AllocationRequest;
using sessiongate::IpamAllocator;
using sessiongate::Json;

namespace {

IpamAllocator allocatorFor(const Json& config) {
  return IpamAllocator(t::ipamConfig(config));
}

}  // namespace

TEST_CASE("IpamAllocator holds old and new ports until commit", "[controller][ipam][allocator]") {
  IpamAllocator ipam = allocatorFor({{"pool", {"192.0.2.7"}}});
  AllocationRequest bob{"bob", {{"web", "TCP", 80, 8080}}, std::nullopt};
  REQUIRE(ipam.allocate(bob).ok());
  ipam.commit("bob");

  AllocationRequest changed{"bob", {{"web", "TCP", 80, 9090}}, t::ip("192.0.2.7")};
  REQUIRE(ipam.allocate(changed).ok());
  // The old Service may still be live: 8080 stays bob's until the change is committed.
  AllocationRequest alice{"alice", {{"web", "TCP", 80, 8080}}, std::nullopt};
  auto refused = ipam.allocate(alice);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().find("192.0.2.7 holds it for session bob") != std::string::npos);

  ipam.commit("bob");
  auto granted = ipam.allocate(alice);
  REQUIRE(granted.ok());
  CHECK(granted->ports[0].port == 8080);
  CHECK(t::holdersJson(ipam.snapshot()) ==
        Json::parse(R"({"192.0.2.7": {"TCP/8080": "alice", "TCP/9090": "bob"}})"));
}

TEST_CASE("IpamAllocator abort restores the previous allocation", "[controller][ipam][allocator]") {
  IpamAllocator ipam = allocatorFor({{"pool", {"192.0.2.7"}}});
  AllocationRequest bob{"bob", {{"web", "TCP", 80, 8080}}, std::nullopt};
  REQUIRE(ipam.allocate(bob).ok());
  ipam.commit("bob");
  AllocationRequest changed{"bob", {{"web", "TCP", 80, 9090}}, t::ip("192.0.2.7")};
  REQUIRE(ipam.allocate(changed).ok());
  ipam.abort("bob");
  CHECK(t::holdersJson(ipam.snapshot()) == Json::parse(R"({"192.0.2.7": {"TCP/8080": "bob"}})"));
  REQUIRE(ipam.find("bob"));
  CHECK(ipam.find("bob")->ports[0].port == 8080);

  // Aborting a first allocation leaves nothing behind.
  AllocationRequest carol{"carol", {{"web", "TCP", 80, 7070}}, std::nullopt};
  REQUIRE(ipam.allocate(carol).ok());
  ipam.abort("carol");
  CHECK_FALSE(ipam.find("carol"));
  CHECK(t::holdersJson(ipam.snapshot()) == Json::parse(R"({"192.0.2.7": {"TCP/8080": "bob"}})"));
}

TEST_CASE("IpamAllocator release frees the session's ports", "[controller][ipam][allocator]") {
  IpamAllocator ipam = allocatorFor({{"pool", {"192.0.2.7"}}});
  AllocationRequest bob{"bob", {{"web", "TCP", 80, 8080}}, std::nullopt};
  REQUIRE(ipam.allocate(bob).ok());
  ipam.commit("bob");
  ipam.release("bob");
  CHECK(t::holdersJson(ipam.snapshot()) == Json::object());
  AllocationRequest alice{"alice", {{"web", "TCP", 80, 8080}}, std::nullopt};
  CHECK(ipam.allocate(alice).ok());
}

TEST_CASE("IpamAllocator reset keeps open reservations", "[controller][ipam][allocator]") {
  IpamAllocator ipam = allocatorFor({{"pool", {"192.0.2.7"}}});
  AllocationRequest bob{"bob", {{"web", "TCP", 80, 8080}}, std::nullopt};
  REQUIRE(ipam.allocate(bob).ok());
  sessiongate::AllocationTable rebuilt;
  rebuilt.assign("alice", {t::ip("192.0.2.7"), {{"web", "TCP", 9090, 80}}});
  ipam.reset(rebuilt);
  CHECK(t::holdersJson(ipam.snapshot()) ==
        Json::parse(R"({"192.0.2.7": {"TCP/8080": "bob", "TCP/9090": "alice"}})"));
}

TEST_CASE("IpamAllocator never hands out one address, port and protocol twice under concurrency",
          "[controller][ipam][allocator]") {
  IpamAllocator ipam = allocatorFor({{"pool", {"192.0.2.0/30"}}, {"autoPortRange", "49152-49200"}});
  constexpr int kThreads = 8;
  constexpr int kSessionsPerThread = 25;
  std::mutex mu;
  std::map<std::string, sessiongate::Allocation> committed;
  int explicitGranted = 0;
  int autoRefused = 0;

  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      for (int i = 0; i < kSessionsPerThread; ++i) {
        const std::string session = "s-" + std::to_string(thread) + "-" + std::to_string(i);
        AllocationRequest request{session, {}, std::nullopt};
        const bool wantsExplicit = i % 5 == 0;
        if (wantsExplicit) {
          request.ports = {{"web", "TCP", 80, 8080}};
        } else {
          request.ports = {{"a", "TCP", 80, 0}, {"b", "UDP", 53, 0}};
        }
        auto result = ipam.allocate(request);
        if (!result.ok()) {
          if (!wantsExplicit) {
            std::lock_guard<std::mutex> guard(mu);
            ++autoRefused;
          }
          continue;
        }
        if (i % 7 == 3) {  // the Service could not be created
          ipam.abort(session);
          continue;
        }
        ipam.commit(session);
        std::lock_guard<std::mutex> guard(mu);
        committed[session] = *result;
        if (wantsExplicit) ++explicitGranted;
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& [session, allocation] : committed) {
    for (const auto& port : allocation.ports) {
      const auto pair = std::make_pair(allocation.ip.str(), port.key().str());
      INFO(session << " got " << pair.first << " " << pair.second);
      CHECK(seen.insert(pair).second);
    }
  }
  // 4 addresses hold TCP 8080 once each; 49 automatic ports per protocol and address cover every other
  // session, so none of those is refused.
  CHECK(explicitGranted <= 4);
  CHECK(explicitGranted >= 1);
  CHECK(autoRefused == 0);
  // The table holds exactly the committed pairs.
  std::size_t held = 0;
  const sessiongate::AllocationTable snapshot = ipam.snapshot();
  for (const auto& [address, holders] : snapshot.holders()) held += holders.size();
  CHECK(held == seen.size());
}
