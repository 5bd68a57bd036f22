// ClusterCache against a local API server: the view it fills from the lists and watches of the SessionPolicy,
// the UserSessions and the session Namespaces, with a policy change that does not parse.
#include "webhook/cache/cluster_cache.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <thread>

#include "fake_api_server.h"

namespace sessiongate::webhook {
namespace {

using kube::testing::CannedResponse;
using kube::testing::FakeApiServer;
using kube::testing::fixture;

const std::string kPolicyPath = "/apis/sessiongate.io/v1alpha1/sessionpolicies";
const std::string kSessionPath = "/apis/sessiongate.io/v1alpha1/usersessions";
const std::string kNamespacePath = "/api/v1/namespaces";

// serve answers path's list with list, then its watch with the events in watch, then a quiet watch.
void serve(FakeApiServer& server, const std::string& path, const std::string& list,
           const std::string& watch) {
  server.on("GET", path, {{200, fixture(list)}});
  server.on("WATCH", path, {{200, fixture(watch), 64, CannedResponse::End::Hang}});
}

}  // namespace

TEST_CASE("cluster cache fills the view from the informers and keeps a policy that parsed",
          "[cache][informer]") {
  FakeApiServer server;
  serve(server, kPolicyPath, "sessionpolicy_list.json", "watch_sessionpolicy.jsonl");
  serve(server, kSessionPath, "usersession_list.json", "watch_usersessions.jsonl");
  serve(server, kNamespacePath, "namespace_list.json", "watch_namespaces.jsonl");
  kube::ClientConfig config;
  config.server = server.url();
  config.origin = "test";
  auto client = std::move(*kube::KubeClient::fromConfig(config));

  MemoryClusterView view;
  std::mutex mu;
  std::vector<bool> loads;
  ClusterCache cache(*client, view, "default", [&](bool ok) {
    std::lock_guard<std::mutex> lock(mu);
    loads.push_back(ok);
  });
  CHECK_FALSE(cache.synced());
  cache.start();
  // Every watch event applied: the last of each stream shows in the view (alice-3 comes with the first
  // session event and bob-1, listed, goes with the last; sess-alice-3 is the last namespace event).
  auto settled = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return loads.size() == 2 && view.session("alice-3") != nullptr && view.session("bob-1") == nullptr &&
           view.namespaceInfo("sess-alice-3").has_value();
  };
  bool done = false;
  for (int i = 0; i < 500 && !done; ++i) {
    done = settled();
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(done);
  CHECK(cache.synced());
  cache.stop();

  CHECK(loads == std::vector<bool>{true, false});  // the change to "many" was heard and refused
  REQUIRE(view.policy());
  CHECK(view.policy()->resourceVersion == "10");
  CHECK(view.policy()->maxSessionsPerUser == 2);

  auto alice1 = view.session("alice-1");
  REQUIRE(alice1);
  CHECK(alice1->deleting);
  CHECK(alice1->resourceVersion == "212");
  CHECK(alice1->status.is_null());
  auto alice3 = view.session("alice-3");
  REQUIRE(alice3);
  CHECK(alice3->spec.user == "alice");
  CHECK(alice3->spec.profile == "shell");
  CHECK(view.sessionCountForUser("alice") == 1);  // alice-3; alice-1 is being deleted, alice-2 is gone
  CHECK(view.sessionCountForUser("bob") == 0);
  CHECK(view.session("alice-2") == nullptr);
  CHECK(view.session("bob-1") == nullptr);  // its last version does not parse: no older one stays in force

  auto ns = view.namespaceInfo("sess-alice-1");
  REQUIRE(ns);
  CHECK(ns->labels == std::map<std::string, std::string>{{"kubernetes.io/metadata.name", "sess-alice-1"},
                                                         {"sessiongate.io/session", "alice-1"},
                                                         {"sessiongate.io/user", "alice"}});
  CHECK(view.namespaceInfo("sess-alice-3")->labels.at("sessiongate.io/session") == "alice-3");
  CHECK_FALSE(view.namespaceInfo("sess-alice-2").has_value());

  // Only the session Namespaces and the named policy are asked for.
  auto namespaceLists = server.requests("GET", kNamespacePath);
  REQUIRE(namespaceLists.size() == 1);
  CHECK(namespaceLists[0].query == "labelSelector=sessiongate.io%2Fsession&limit=500");
  auto policyLists = server.requests("GET", kPolicyPath);
  REQUIRE(policyLists.size() == 1);
  CHECK(policyLists[0].query == "fieldSelector=metadata.name%3Ddefault&limit=500");
}

}  // namespace sessiongate::webhook
