// Leader election against a fake Lease store with optimistic concurrency and a fake clock.
#include "controller/leader/leader_elector.h"

#include <catch2/catch.hpp>
#include <functional>

#include "tests/support/fake_clock.h"

namespace sessiongate::controller {
namespace {

// FakeLeases holds Leases by name and rejects updates carrying a stale resourceVersion, like the API server.
class FakeLeases : public LeaseClient {
 public:
  std::map<std::string, Json> leases;
  int version = 0;
  bool unreachable = false;
  std::function<void()> onGet;  // runs as a get starts (a stop arriving while the call is in flight)

  kube::ApiResult<Json> get(std::string_view, std::string_view name) override {
    if (onGet) onGet();
    if (unreachable) return kube::ApiError{0, "", "connection refused", {}};
    auto it = leases.find(std::string(name));
    if (it == leases.end()) return kube::ApiError{404, "NotFound", "not found", {}};
    return it->second;
  }
  kube::ApiResult<Json> create(std::string_view, const Json& lease) override {
    std::string name = lease["metadata"]["name"];
    if (leases.count(name)) return kube::ApiError{409, "AlreadyExists", "exists", {}};
    return store(name, lease);
  }
  kube::ApiResult<Json> update(std::string_view, const Json& lease) override {
    if (unreachable) return kube::ApiError{0, "", "connection refused", {}};
    std::string name = lease["metadata"]["name"];
    auto it = leases.find(name);
    if (it == leases.end()) return kube::ApiError{404, "NotFound", "not found", {}};
    if (it->second["metadata"]["resourceVersion"] != lease["metadata"]["resourceVersion"]) {
      return kube::ApiError{409, "Conflict", "the object has been modified", {}};
    }
    return store(name, lease);
  }

 private:
  Json store(const std::string& name, Json lease) {
    lease["metadata"]["resourceVersion"] = std::to_string(++version);
    leases[name] = lease;
    return lease;
  }
};

LeaderElectionConfig configFor(const std::string& identity) {
  LeaderElectionConfig config;
  config.identity = identity;
  return config;
}

}  // namespace

TEST_CASE("leader election: first candidate takes the lease, the second waits until it lapses",
          "[controller][leader]") {
  FakeLeases leases;
  FakeClock clock;  // its wall time starts at 2026-01-01T00:00:00Z
  LeaderElector a(leases, configFor("a"), clock);
  LeaderElector b(leases, configFor("b"), clock);

  REQUIRE(a.tryAcquireOrRenew());
  const Json& lease = leases.leases.at("sessiongate-controller");
  CHECK(lease["spec"]["holderIdentity"] == "a");
  CHECK(lease["spec"]["leaseDurationSeconds"] == 15);
  CHECK(lease["spec"]["leaseTransitions"] == 0);
  CHECK(lease["metadata"]["namespace"] == "sessiongate-system");
  CHECK(lease["spec"]["renewTime"] == "2026-01-01T00:00:00.000000Z");

  CHECK_FALSE(b.tryAcquireOrRenew());  // b first sees the record now
  clock.advance(std::chrono::seconds(10));
  CHECK_FALSE(b.tryAcquireOrRenew());
  clock.setWall(clock.wallNow() + std::chrono::seconds(10));  // a's renewal carries a new renewTime
  REQUIRE(a.tryAcquireOrRenew());  // a renews: the record changes, b's observation restarts
  clock.advance(std::chrono::seconds(10));
  CHECK_FALSE(b.tryAcquireOrRenew());
  clock.advance(std::chrono::seconds(15));  // 15 s since b first saw a's last renewal: lapsed
  REQUIRE(b.tryAcquireOrRenew());
  CHECK(leases.leases.at("sessiongate-controller")["spec"]["holderIdentity"] == "b");
  CHECK(leases.leases.at("sessiongate-controller")["spec"]["leaseTransitions"] == 1);
  CHECK(b.isLeader());
  CHECK_FALSE(a.tryAcquireOrRenew());  // a sees b's fresh record
  CHECK_FALSE(a.isLeader());
}

TEST_CASE("leader election: release clears holderIdentity so another takes over at once",
          "[controller][leader]") {
  FakeLeases leases;
  FakeClock clock;
  LeaderElector a(leases, configFor("a"), clock);
  LeaderElector b(leases, configFor("b"), clock);
  REQUIRE(a.tryAcquireOrRenew());
  CHECK_FALSE(b.tryAcquireOrRenew());
  a.release();
  CHECK(leases.leases.at("sessiongate-controller")["spec"]["holderIdentity"] == "");
  CHECK_FALSE(a.isLeader());
  REQUIRE(b.tryAcquireOrRenew());
  CHECK(leases.leases.at("sessiongate-controller")["spec"]["holderIdentity"] == "b");
}

TEST_CASE("leader election: hold gives up after the renew deadline, acquire stops on signal",
          "[controller][leader]") {
  FakeLeases leases;
  FakeClock clock;  // retryPeriod and renewDeadline are 0: hold waits for nothing
  LeaderElectionConfig config = configFor("a");
  config.retryPeriod = std::chrono::seconds(0);
  config.renewDeadline = std::chrono::seconds(0);
  LeaderElector a(leases, config, clock);
  REQUIRE(a.tryAcquireOrRenew());
  leases.unreachable = true;
  kube::StopSignal stop;
  CHECK_FALSE(a.hold(stop));  // lost
  CHECK_FALSE(a.isLeader());

  leases.unreachable = false;
  LeaderElector b(leases, configFor("b"), clock);
  kube::StopSignal stopped;
  stopped.stop();
  CHECK_FALSE(b.acquire(stopped));
}

TEST_CASE(
    "leader election: a renewal cut short by stop is not a lost lease, and release writes through its client",
    "[controller][leader]") {
  FakeLeases leases;
  FakeClock clock;  // retryPeriod and renewDeadline are 0: a failed renewal would be a lost lease at once
  LeaderElectionConfig config = configFor("a");
  config.retryPeriod = std::chrono::seconds(0);
  config.renewDeadline = std::chrono::seconds(0);
  LeaderElector a(leases, config, clock);
  REQUIRE(a.tryAcquireOrRenew());
  FakeLeases releasing = leases;  // the lease as it stands, behind a client the stop does not cancel
  kube::StopSignal stop;
  leases.onGet = [&] {
    stop.stop();
    leases.unreachable = true;  // the renewal's call, cancelled by the stop, fails
  };
  CHECK(a.hold(stop));  // stopped while leading, not lost
  CHECK(a.isLeader());
  a.release(releasing);
  CHECK(releasing.leases.at("sessiongate-controller")["spec"]["holderIdentity"] == "");
  CHECK(leases.leases.at("sessiongate-controller")["spec"]["holderIdentity"] == "a");
  CHECK_FALSE(a.isLeader());
}

}  // namespace sessiongate::controller
