#include "controller/reconcile/applied_records.h"

#include <catch2/catch.hpp>

#include "controller/informers/object_trim.h"
#include "controller/reconcile/written_sessions.h"
#include "core/kube/object_store.h"

using namespace sessiongate::controller;
using sessiongate::Json;
namespace kube = sessiongate::kube;

TEST_CASE("a child is skipped only while its desired form and ownership digest are what we applied",
          "[controller][reconcile][applied]") {
  AppliedRecords records;
  const std::string pod = childKey("pods", "sess-a", "worker");
  const std::string ns = childKey("namespaces", "", "sess-a");
  CHECK(pod == "pods sess-a/worker");
  CHECK(ns == "namespaces /sess-a");

  struct Row {
    const char* what;
    std::size_t hash;
    OwnershipDigest cachedDigest;
    bool upToDate;
  };
  CHECK_FALSE(records.upToDate(pod, 1, 10));  // never applied (a restart): apply
  records.record(pod, 1, 10, true, {});
  records.record(ns, 7, 3, true, {});
  const Row rows[] = {
      {"unchanged", 1, 10, true},
      {"edited by someone else", 1, 11, false},
      {"cache still behind our apply", 1, 9, false},
      {"desired form changed", 2, 10, false},
      {"no version in the cache", 1, 0, false},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    CHECK(records.upToDate(pod, row.hash, row.cachedDigest) == row.upToDate);
  }

  records.forgetNamespace("sess-a");
  CHECK_FALSE(records.upToDate(pod, 1, 10));
  CHECK_FALSE(records.upToDate(ns, 7, 3));
}

TEST_CASE("forgetting one session's namespace keeps the others", "[controller][reconcile][applied]") {
  AppliedRecords records;
  records.record(childKey("pods", "sess-a", "worker"), 1, 1, true, {});
  records.record(childKey("pods", "sess-ab", "worker"), 1, 2, true, {});
  records.forgetNamespace("sess-a");
  CHECK_FALSE(records.upToDate(childKey("pods", "sess-a", "worker"), 1, 1));
  CHECK(records.upToDate(childKey("pods", "sess-ab", "worker"), 1, 2));
}

namespace {

// podWith is a worker pod whose managedFields are the given entries (JSON text of the array).
Json podWith(const char* managedFields, const char* resourceVersion = "7") {
  Json pod = Json::parse(R"({"metadata": {"name": "worker", "namespace": "sess-a",
      "labels": {"sessiongate.io/session": "a"}}, "spec": {"containers": [{"name": "worker"}]}})");
  pod["metadata"]["resourceVersion"] = resourceVersion;
  if (managedFields != nullptr) pod["metadata"]["managedFields"] = Json::parse(managedFields);
  return pod;
}

constexpr const char* kApplied = R"([
  {"manager": "sessiongate-controller", "operation": "Apply", "apiVersion": "v1", "time": "2026-01-01T00:00:00Z",
   "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:containers": {"k:{\"name\":\"worker\"}": {".": {}}}}}},
  {"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": "2026-01-01T00:00:05Z",
   "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:phase": {}}}, "subresource": "status"}])";

}  // namespace

TEST_CASE(
    "the ownership digest moves when someone takes a field the controller applied, not on status writes",
    "[controller][reconcile][applied]") {
  const OwnershipDigest base = ownershipDigest(podWith(kApplied));
  REQUIRE(base != 0);
  REQUIRE(base != ownershipDigest(podWith(nullptr)));  // from the managed fields, not the resourceVersion
  struct Row {
    const char* what;
    Json object;
    bool same;
  };
  const Row rows[] = {
      {"a new resourceVersion from a status write (the kubelet's entry changed)",
       podWith(R"([
  {"manager": "sessiongate-controller", "operation": "Apply", "apiVersion": "v1", "time": "2026-01-01T00:00:00Z",
   "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:containers": {"k:{\"name\":\"worker\"}": {".": {}}}}}},
  {"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": "2026-01-01T00:09:00Z",
   "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:phase": {}, "f:podIP": {}}}, "subresource": "status"}])",
               "12"),
       true},
      {"only the time of our entry differs", podWith(R"([
  {"manager": "sessiongate-controller", "operation": "Apply", "apiVersion": "v1", "time": "2026-01-02T00:00:00Z",
   "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:containers": {"k:{\"name\":\"worker\"}": {".": {}}}}}}])"),
       true},
      {"kubectl edit took a field from us (our set shrank, an Update entry appeared)", podWith(R"([
  {"manager": "sessiongate-controller", "operation": "Apply", "apiVersion": "v1", "time": "2026-01-01T00:00:00Z",
   "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {}}},
  {"manager": "kubectl-edit", "operation": "Update", "apiVersion": "v1", "time": "2026-01-01T00:09:00Z",
   "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:containers": {"k:{\"name\":\"worker\"}": {".": {}}}}}}])"),
       false},
      {"someone else applied with force", podWith(R"([
  {"manager": "intruder", "operation": "Apply", "apiVersion": "v1", "time": "2026-01-01T00:09:00Z",
   "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:containers": {"k:{\"name\":\"worker\"}": {".": {}}}}}}])"),
       false},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    CHECK((ownershipDigest(row.object) == base) == row.same);
  }
}

TEST_CASE("the ownership digest survives the store's trim and falls back to the resourceVersion",
          "[controller][reconcile][applied]") {
  kube::ObjectStore store(objectTrim(false));
  store.upsert(podWith(kApplied));
  auto cached = store.find("sess-a", "worker");
  REQUIRE(cached);
  CHECK_FALSE((*cached)["metadata"].contains("managedFields"));
  CHECK(ownershipDigest(*cached) == ownershipDigest(podWith(kApplied)));
  // Without managed fields (the API server never omits them; fakes may) any new version counts as a change.
  CHECK(ownershipDigest(podWith(nullptr, "7")) != 0);
  CHECK(ownershipDigest(podWith(nullptr, "7")) == ownershipDigest(podWith(nullptr, "7")));
  CHECK(ownershipDigest(podWith(nullptr, "8")) != ownershipDigest(podWith(nullptr, "7")));
  CHECK(ownershipDigest(Json::parse(R"({"metadata": {"name": "x"}})")) == 0);
  // The store keeps the digest as a number.
  CHECK((*cached)["metadata"][sessiongate::kOwnershipDigestKey].is_number_unsigned());
}

TEST_CASE("the controller's own session writes stand in for the cache until it shows them",
          "[controller][reconcile][written]") {
  auto session = [](const char* version, const char* phase) {
    Json object = {{"metadata", {{"name", "alice-1"}, {"resourceVersion", version}}}};
    if (phase != nullptr) object["status"] = {{"phase", phase}};
    return std::make_shared<const Json>(std::move(object));  // shared, as the store holds it
  };
  WrittenSessions written;
  CHECK(*written.freshest("alice-1", session("1", nullptr)) ==
        *session("1", nullptr));                                 // nothing written yet
  written.wrote("alice-1", "1", *session("2", nullptr));         // the finalizer
  written.wrote("alice-1", "1", *session("3", "Provisioning"));  // the status, computed from version 1
  struct Row {
    const char* what;
    kube::SharedObject cached;
    kube::SharedObject freshest;
  };
  const Row rows[] = {
      {"cache still at the version both writes came from", session("1", nullptr),
       session("3", "Provisioning")},
      {"cache at the finalizer write, before the status write", session("2", nullptr),
       session("3", "Provisioning")},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    CHECK(*written.freshest("alice-1", row.cached) == *row.freshest);
  }
  CHECK(written.size() == 1);
  // Any other version is newer than what the controller knows (its own answer, or someone else's write).
  CHECK(*written.freshest("alice-1", session("7", "Ready")) == *session("7", "Ready"));
  CHECK(written.size() == 0);
  CHECK(*written.freshest("alice-1", session("1", nullptr)) == *session("1", nullptr));

  written.wrote("bob-1", "4", *session("5", "Ready"));
  written.forget("bob-1");
  CHECK(written.size() == 0);
}

TEST_CASE("a child the controller just created is awaited in the cache, not recreated, for a while",
          "[controller][reconcile][applied]") {
  using std::chrono::seconds;
  const auto created = std::chrono::system_clock::time_point{} + std::chrono::hours(1);
  const std::chrono::milliseconds allowance{30000};
  AppliedRecords records;
  const std::string pod = childKey("pods", "sess-a", "worker");
  CHECK_FALSE(records.awaitingCache(pod, 1, created, allowance));  // never created: create it
  records.record(pod, 1, 1, /*seenByCache=*/false, created);
  struct Row {
    const char* what;
    std::size_t hash;
    std::chrono::system_clock::time_point now;
    bool awaiting;
  };
  const Row rows[] = {
      {"just created, not delivered yet", 1, created + seconds(1), true},
      {"desired form changed since", 2, created + seconds(1), false},
      {"still missing after the allowance: deleted before the cache saw it", 1, created + seconds(30), false},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    CHECK(records.awaitingCache(pod, row.hash, row.now, allowance) == row.awaiting);
  }
  // Once the cache has shown it, a missing object is a deleted one: recreated at once.
  CHECK(records.upToDate(pod, 1, 1));
  CHECK_FALSE(records.awaitingCache(pod, 1, created + seconds(1), allowance));
  // An apply of an object the cache held never waits.
  records.record(pod, 1, 2, /*seenByCache=*/true, created);
  CHECK_FALSE(records.awaitingCache(pod, 1, created + seconds(1), allowance));
}
