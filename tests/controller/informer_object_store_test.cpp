// kube::ObjectStore: keys, replace reporting what a relist found gone, and the owner mapping of informer
// events.
#include <catch2/catch.hpp>

#include "controller/informers/object_trim.h"
#include "controller/informers/session_informers.h"
#include "controller/reconcile/applied_records.h"
#include "controller/reconcile/namespace.h"
#include "controller/reconcile/network_policies.h"
#include "controller/reconcile/quota.h"
#include "controller/reconcile/worker_pod.h"
#include "core/kube/object_store.h"

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

  std::vector<kube::SharedObject> dropped =
      store.replace({object("sess-b", "worker"), object("sess-c", "worker")});
  REQUIRE(dropped.size() == 1);
  CHECK(*dropped[0] == changed);
  CHECK(store.size() == 2);
  store.erase(object("sess-b", "worker"));
  std::vector<kube::SharedObject> left = store.list();
  REQUIRE(left.size() == 1);
  CHECK(kube::ObjectStore::keyOf(*left[0]) == "sess-c/worker");
}

TEST_CASE("a packed store answers exactly as a parsed one", "[controller][informer]") {
  // Every JSON type MessagePack has to carry, at its edges.
  const std::vector<Json> objects = {
      object("sess-a", "worker", "a"),
      Json::parse(R"({"metadata": {"name": "numbers", "namespace": "n"}, "spec": {"zero": 0, "negative": -42,
          "int64min": -9223372036854775808, "uint64max": 18446744073709551615, "float": 0.1, "tiny": 5e-324,
          "big": 1.7976931348623157e308, "whole": 2.0}})"),
      Json::parse(R"({"metadata": {"name": "texts", "namespace": "n"}, "data": {"empty": "",
          "unicode": "h\u00e9 \u2603 \ud83d\ude00", "nul": "a\u0000b", "long": ")" +
                  std::string(70000, 'x') + R"("}})"),
      Json::parse(R"({"metadata": {"name": "shapes", "namespace": "n"}, "spec": {"null": null, "t": true,
          "f": false, "emptyObject": {}, "emptyList": [], "nested": [[1, [2, {"a": [null]}]], {"b": {}}]}})"),
  };
  for (bool compressed : {false, true}) {
    INFO("compressed " << compressed);
    kube::ObjectStore parsed;
    kube::ObjectStore packed(kube::StoreOptions{{}, /*packed=*/true, compressed, {}});
    // A compressed store's first four objects make its dictionary and stay plain MessagePack: these four,
    // so that every object below is stored compressed.
    if (compressed) {
      for (const Json& o : objects) packed.upsert(o);
    }
    for (const Json& o : objects) {
      INFO(o.dump().substr(0, 200));
      CHECK(parsed.upsert(o)->dump() == o.dump());
      CHECK(packed.upsert(o)->dump() == o.dump());
      const std::string& ns = o["metadata"]["namespace"].get_ref<const std::string&>();
      const std::string& name = o["metadata"]["name"].get_ref<const std::string&>();
      REQUIRE(packed.find(ns, name));
      CHECK(*packed.find(ns, name) == o);
      CHECK(packed.find(ns, name)->dump() == o.dump());
      REQUIRE(packed.findKey(kube::ObjectStore::keyOf(ns, name)));
      CHECK(*packed.findKey(kube::ObjectStore::keyOf(ns, name)) == o);
    }
    CHECK_FALSE(packed.findKey("n/missing"));
    CHECK(packed.keys() == parsed.keys());
    CHECK(packed.keys() == std::vector<std::string>{"n/numbers", "n/shapes", "n/texts", "sess-a/worker"});
    std::vector<kube::SharedObject> dropped = packed.replace({objects[0]});
    REQUIRE(dropped.size() == 3);
    CHECK(*dropped[0] == objects[1]);
    REQUIRE(packed.list().size() == 1);
    CHECK(*packed.list()[0] == objects[0]);
  }
}

TEST_CASE("the sessions store indexes sessions by user and keeps the index through every change",
          "[controller][informer]") {
  auto session = [](const std::string& name, const Json& user) {
    return Json{{"metadata", {{"name", name}}}, {"spec", {{"user", user}}}};
  };
  auto names = [](const std::vector<kube::SharedObject>& objects) {
    std::vector<std::string> out;
    for (const auto& o : objects) out.push_back((*o)["metadata"]["name"]);
    return out;
  };
  for (bool packedForm : {false, true}) {
    INFO("packed " << packedForm);
    kube::ObjectStore store(kube::StoreOptions{{}, packedForm, /*compressed=*/false, userOf});
    store.upsert(session("a-1", "alice"));
    store.upsert(session("b-1", "bob"));
    store.upsert(session("a-2", "alice"));
    store.upsert(session("odd", 7));  // not a string: in no user's list
    store.upsert(Json{{"metadata", {{"name", "nospec"}}}});
    CHECK(names(store.byIndex("alice")) == std::vector<std::string>{"a-1", "a-2"});
    CHECK(names(store.byIndex("bob")) == std::vector<std::string>{"b-1"});
    CHECK(store.byIndex("").empty());
    CHECK(store.byIndex("7").empty());
    // An update that changes the indexed value moves the object (spec.user is immutable, but the store must
    // not rely on that).
    store.upsert(session("a-2", "bob"));
    CHECK(names(store.byIndex("alice")) == std::vector<std::string>{"a-1"});
    CHECK(names(store.byIndex("bob")) == std::vector<std::string>{"a-2", "b-1"});
    store.erase(session("a-1", "alice"));
    CHECK(store.byIndex("alice").empty());
    store.replace({session("c-1", "carol"), session("b-1", "bob")});
    CHECK(store.byIndex("bob").size() == 1);
    CHECK(names(store.byIndex("carol")) == std::vector<std::string>{"c-1"});
    CHECK(store.keys() == std::vector<std::string>{"b-1", "c-1"});
  }
}

TEST_CASE("owned objects map to their session through the label", "[controller][informer]") {
  CHECK(sessionOf(object("sess-a", "public", "a")) == "a");
  CHECK(sessionOf(object("sess-a", "public")) == "");
  CHECK(sessionOf(Json{{"metadata", {{"labels", nullptr}}}}) == "");
  CHECK(sessionOf(Json::object()) == "");
}

TEST_CASE("the store keeps what the reconcile reads and drops managedFields and, for owned kinds, status",
          "[controller][informer]") {
  const Json pod =
      Json::parse(R"({"metadata": {"name": "worker", "namespace": "sess-a", "resourceVersion": "7",
      "labels": {"sessiongate.io/session": "a"}, "managedFields": [{"manager": "kubelet"}]},
      "spec": {"containers": [{"name": "worker"}]}, "status": {"phase": "Running"}})");
  kube::ObjectStore owned(objectTrim(false));
  owned.upsert(pod);
  kube::ObjectStore sessions(objectTrim(true));
  sessions.replace({pod});
  auto trimmed = owned.find("sess-a", "worker");
  REQUIRE(trimmed);
  Json expected =
      Json::parse(R"({"metadata": {"name": "worker", "namespace": "sess-a", "resourceVersion": "7",
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
      trimFor (*ref)(stored);
      INFO(ref->resource << ": " << desired.dump());
      CHECK(stored == desired);
      // ... and so does it through the controller's store, packed and compressed (the first four objects
      // make the dictionary; the fifth is compressed).
      kube::ObjectStore packed(kube::StoreOptions{trimFor(*ref), /*packed=*/true, /*compressed=*/true, {}});
      for (int i = 0; i < 5; ++i) packed.upsert(desired);
      const auto found =
          packed.find(desired["metadata"].value("namespace", ""), desired["metadata"].value("name", ""));
      REQUIRE(found);
      CHECK(*found == desired);
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
