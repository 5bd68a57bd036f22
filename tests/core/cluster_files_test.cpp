#include "core/cluster_files.h"

#include <catch2/catch.hpp>
#include <string>

using sessiongate::loadClusterFiles;

namespace {

const std::string kFixtures = SESSIONGATE_FIXTURES;

}  // namespace

TEST_CASE("cluster files load the named policy, sessions and namespaces", "[core][cluster_files]") {
  auto files = loadClusterFiles({kFixtures + "/cluster"}, "default");
  REQUIRE(files.ok());
  REQUIRE(files->policy != nullptr);
  CHECK(files->policy->name == "default");
  CHECK(files->policy->adminGroups == std::vector<std::string>{"admins"});
  CHECK(files->sessions.size() == 3);
  CHECK(files->sessions.at("bob-1").spec.user == "bob");
  CHECK(files->namespaces.size() == 1);

  sessiongate::MemoryClusterView view;
  sessiongate::applyClusterFiles(*files, view);
  CHECK(view.policy()->name == "default");
  CHECK(view.sessionCountForUser("alice") == 1);  // alice-2 is being deleted
  CHECK(view.sessionCountForUser("bob") == 1);
  REQUIRE(view.session("alice-2") != nullptr);
  CHECK(view.session("alice-2")->deleting);
  auto ns = view.namespaceInfo("sess-alice-1");
  REQUIRE(ns.has_value());
  CHECK(ns->labels.at("sessiongate.io/user") == "alice");

  auto staging = loadClusterFiles({kFixtures + "/cluster/policies.yaml", kFixtures + "/cluster/objects.yaml"},
                                  "staging");
  REQUIRE(staging.ok());
  CHECK(staging->policy->profile("trial") != nullptr);
  CHECK(staging->sessions.size() == 3);
}

TEST_CASE("cluster file errors name the file and every problem", "[core][cluster_files]") {
  const std::string errors = kFixtures + "/cluster-errors/";
  struct Row {
    std::vector<std::filesystem::path> paths;
    std::string policy;
    std::string error;
  };
  const std::vector<Row> rows = {
      {{kFixtures + "/cluster"},
       "prod",
       "no SessionPolicy named \"prod\" in " + kFixtures + "/cluster (found \"default\", \"staging\")"},
      {{kFixtures + "/cluster/objects.yaml"},
       "default",
       "no SessionPolicy named \"default\" in " + kFixtures + "/cluster/objects.yaml"},
      {{errors + "invalid-policy.yaml"},
       "default",
       errors + "invalid-policy.yaml:1: SessionPolicy \"default\" is invalid:\n" + errors +
           "invalid-policy.yaml:1: spec.profiles[0].maxTTL: Invalid value: \"2x\": time: unknown unit \"x\" "
           "in "
           "duration \"2x\"\n" +
           errors +
           "invalid-policy.yaml:1: spec.publicExposure.ipPool[1]: Invalid value: \"10.0.0.4\": overlaps "
           "spec.publicExposure.ipPool[0] (\"10.0.0.0/28\")"},
      {{errors + "duplicate-policy.yaml"},
       "default",
       errors + "duplicate-policy.yaml:7: SessionPolicy \"default\" is defined more than once (also at " +
           errors + "duplicate-policy.yaml:1)"},
      {{kFixtures + "/cluster", errors + "bad-session.yaml"},
       "default",
       errors + "bad-session.yaml:1: UserSession \"bad\" is invalid:\n" + errors +
           "bad-session.yaml:1: spec.user: Required value\n" + errors +
           "bad-session.yaml:1: spec.ttl: Invalid value: \"1d\": time: unknown unit \"d\" in duration "
           "\"1d\""},
      {{kFixtures + "/cluster", errors + "absent"}, "default", errors + "absent: no such file or directory"},
  };
  for (const auto& row : rows) {
    INFO(row.error);
    auto files = loadClusterFiles(row.paths, row.policy);
    REQUIRE_FALSE(files.ok());
    CHECK(files.error() == row.error);
  }
}
