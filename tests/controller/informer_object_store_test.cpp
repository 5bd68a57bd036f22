// kube::ObjectStore: keys, replace reporting what a relist found gone, and the owner mapping of informer events.
#include <catch2/catch.hpp>

#include "controller/informers/object_trim.h"
#include "controller/informers/session_informers.h"
#include "core/kube/object_store.h"
#include "controller/reconcile/applied_records.h"
#include "controller/reconcile/namespace.h"
#include "controller/reconcile/network_policies.h"
#include "controller/reconcile/quota.h"
#include "controller/reconcile/worker_pod.h"

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

TEST_CASE("the pod store keeps of the spec what the worker pod sets and drops server-assigned metadata",
          "[controller][informer]") {
  // A worker pod as the API server stores it: defaults and admission plugins' additions in the spec.
  Json pod = Json::parse(R"({"apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "worker", "namespace": "sess-a", "uid": "a148", "resourceVersion": "17105",
        "generation": 1, "creationTimestamp": "2026-12-04T13:30:02Z", "labels": {"sessiongate.io/session": "a"},
        "annotations": {"kubernetes.io/limit-ranger": "LimitRanger plugin set: cpu"}},
      "spec": {"volumes": [{"name": "kube-api-access-k5bxm", "projected": {"defaultMode": 420}}],
        "containers": [{"name": "worker", "image": "ubuntu:24.04", "command": ["sleep", "infinity"],
          "securityContext": {"runAsNonRoot": true}, "resources": {"limits": {"cpu": "1"}},
          "volumeMounts": [{"name": "kube-api-access-k5bxm", "mountPath": "/var/run/secrets"}],
          "terminationMessagePath": "/dev/termination-log", "imagePullPolicy": "IfNotPresent"}],
        "restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "serviceAccountName": "default",
        "securityContext": {}, "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists"}],
        "priority": 0, "enableServiceLinks": true},
      "status": {"phase": "Pending", "qosClass": "Burstable"}})");
  trimFor(kube::resources::kPods)(pod);
  CHECK(pod == Json::parse(R"({"apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "worker", "namespace": "sess-a", "resourceVersion": "17105",
        "labels": {"sessiongate.io/session": "a"},
        "annotations": {"kubernetes.io/limit-ranger": "LimitRanger plugin set: cpu"}},
      "spec": {"containers": [{"name": "worker", "image": "ubuntu:24.04", "command": ["sleep", "infinity"],
        "securityContext": {"runAsNonRoot": true}}]},
      "status": {"phase": "Pending"}})"));

  Json quota = Json::parse(R"({"metadata": {"name": "session-quota", "namespace": "sess-a", "uid": "3f1a",
      "resourceVersion": "17123", "creationTimestamp": "2026-12-04T13:30:01Z"}, "spec": {"hard": {"pods": "4"}},
      "status": {"used": {"pods": "1"}}})");
  trimFor(kube::resources::kResourceQuotas)(quota);
  CHECK(quota == Json::parse(R"({"metadata": {"name": "session-quota", "namespace": "sess-a",
      "resourceVersion": "17123"}, "spec": {"hard": {"pods": "4"}}})"));

  // The sessions' own metadata is read (uid for ownership, generation for observedGeneration): kept.
  Json session = Json::parse(R"({"metadata": {"name": "a", "uid": "u1", "generation": 2,
      "creationTimestamp": "2026-12-04T13:30:01Z"}})");
  const Json sessionBefore = session;
  trimFor(kube::resources::kUserSessions)(session);
  CHECK(session == sessionBefore);
}

TEST_CASE("a trimmed child still holds every field of its desired form (covers() compares them)",
          "[controller][informer]") {
  UserSession session;
  session.name = "alice-1";
  session.uid = "u-1";
  session.spec.user = "alice";
  session.spec.profile = "locked";
  SessionPolicy policy;
  Profile profile;
  profile.name = "locked";
  profile.image = "docker.io/library/python:3.12-slim";
  profile.command = {"sleep", "infinity"};
  profile.quotaHard = {{"pods", "4"}};
  profile.requests = {{"cpu", "250m"}};
  profile.limits = {{"cpu", "1"}};
  SessionFacts facts{session, policy, profile, "campus", "sess-alice-1", "alice"};
  for (PodSecurityLevel level : {PodSecurityLevel::Baseline, PodSecurityLevel::Restricted}) {
    profile.podSecurity = level;
    std::vector<std::pair<const kube::ResourceRef*, Json>> children = {
        {&kube::resources::kNamespaces, namespaceObject(facts)},
        {&kube::resources::kResourceQuotas, resourceQuotaObject(facts)},
        {&kube::resources::kLimitRanges, limitRangeObject(facts)},
        {&kube::resources::kRoleBindings, roleBindingObject(facts)},
        {&kube::resources::kPods, workerPodObject(facts)}};
    for (Json& policyObject : networkPolicyObjects(facts))
      children.emplace_back(&kube::resources::kNetworkPolicies, std::move(policyObject));
    for (const auto& [ref, desired] : children) {
      Json stored = desired;
      trimFor(*ref)(stored);
      INFO(ref->resource << ": " << desired.dump());
      CHECK(stored == desired);
    }
  }
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
