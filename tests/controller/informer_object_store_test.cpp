// kube::ObjectStore: keys, replace reporting what a relist found gone, and the owner mapping of informer events.
#include <catch2/catch.hpp>

#include "controller/informers/object_trim.h"
#include "controller/informers/session_informers.h"
#include "core/kube/object_store.h"
#include "controller/reconcile/applied_records.h"

namespace sessiongate::controller {
namespace {

Json object(const std::string& ns, const std::string& name, const std::string& session = "") {
  Json o = {{"metadata", {{"name", name}}}};
  if (!ns.empty()) o["metadata"]["namespace"] = ns;
  if (!session.empty()) o["metadata"]["labels"] = {{"sessiongate.io/session", session}};
  return o;
}

}  // namespace

TEST_CASE("object store keeps the latest copy and reports objects a relist dropped",
          "[controller][informer]") {
  kube::ObjectStore store;
  CHECK(kube::ObjectStore::keyOf(object("", "alice-1")) == "alice-1");
  CHECK(kube::ObjectStore::keyOf(object("sess-a", "worker")) == "sess-a/worker");
  store.upsert(object("sess-a", "worker"));
  store.upsert(object("sess-b", "worker"));
  Json changed = object("sess-a", "worker", "a");
  store.upsert(changed);
  REQUIRE(store.find("sess-a", "worker"));
  CHECK(*store.find("sess-a", "worker") == changed);
  CHECK_FALSE(store.find("", "worker"));

  std::vector<kube::SharedObject> dropped = store.replace({object("sess-b", "worker"), object("sess-c", "worker")});
  REQUIRE(dropped.size() == 1);
  CHECK(*dropped[0] == changed);
  CHECK(store.size() == 2);
  store.erase(object("sess-b", "worker"));
  std::vector<kube::SharedObject> left = store.list();
  REQUIRE(left.size() == 1);
  CHECK(kube::ObjectStore::keyOf(*left[0]) == "sess-c/worker");
}

TEST_CASE("owned objects map to their session through the label", "[controller][informer]") {
  CHECK(sessionOf(object("sess-a", "public", "a")) == "a");
  CHECK(sessionOf(object("sess-a", "public")) == "");
  CHECK(sessionOf(Json{{"metadata", {{"labels", nullptr}}}}) == "");
  CHECK(sessionOf(Json::object()) == "");
}

TEST_CASE("the store keeps what the reconcile reads and drops managedFields and, for owned kinds, status",
          "[controller][informer]") {
  const Json pod = Json::parse(R"({"metadata": {"name": "worker", "namespace": "sess-a", "resourceVersion": "7",
      "labels": {"sessiongate.io/session": "a"}, "managedFields": [{"manager": "kubelet"}]},
      "spec": {"containers": [{"name": "worker"}]}, "status": {"phase": "Running"}})");
  kube::ObjectStore owned(objectTrim(false));
  owned.upsert(pod);
  kube::ObjectStore sessions(objectTrim(true));
  sessions.replace({pod});
  auto trimmed = owned.find("sess-a", "worker");
  REQUIRE(trimmed);
  Json expected = Json::parse(R"({"metadata": {"name": "worker", "namespace": "sess-a", "resourceVersion": "7",
      "labels": {"sessiongate.io/session": "a"}}, "spec": {"containers": [{"name": "worker"}]}})");
  expected["metadata"][kOwnershipDigestKey] = ownershipDigest(pod);  // what AppliedRecords compares
  CHECK(*trimmed == expected);
  auto kept = sessions.find("sess-a", "worker");
  REQUIRE(kept);
  CHECK((*kept)["status"]["phase"] == "Running");
  CHECK_FALSE((*kept)["metadata"].contains("managedFields"));
}

TEST_CASE("informers keep the status of sessions, pods and Services only", "[controller][informer]") {
  CHECK(storeKeepsStatus(kube::resources::kUserSessions));
  CHECK(storeKeepsStatus(kube::resources::kSessionPolicies));
  CHECK(storeKeepsStatus(kube::resources::kPods));
  CHECK(storeKeepsStatus(kube::resources::kServices));
  CHECK_FALSE(storeKeepsStatus(kube::resources::kNamespaces));
  CHECK_FALSE(storeKeepsStatus(kube::resources::kResourceQuotas));
  CHECK_FALSE(storeKeepsStatus(kube::resources::kLimitRanges));
  CHECK_FALSE(storeKeepsStatus(kube::resources::kNetworkPolicies));
  CHECK_FALSE(storeKeepsStatus(kube::resources::kRoleBindings));
}

}  // namespace sessiongate::controller
