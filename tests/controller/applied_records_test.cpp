#include <catch2/catch.hpp>

#include "controller/reconcile/applied_records.h"

#include "controller/informers/object_store.h"

using namespace sessiongate::controller;
using sessiongate::Json;

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
    const char* cachedDigest;
    bool upToDate;
  };
  CHECK_FALSE(records.upToDate(pod, 1, "10"));  // never applied (a restart): apply
  records.record(pod, 1, "10");
  records.record(ns, 7, "3");
  const Row rows[] = {
      {"unchanged", 1, "10", true},
      {"edited by someone else", 1, "11", false},
      {"cache still behind our apply", 1, "9", false},
      {"desired form changed", 2, "10", false},
      {"no version in the cache", 1, "", false},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    CHECK(records.upToDate(pod, row.hash, row.cachedDigest) == row.upToDate);
  }

  records.forgetNamespace("sess-a");
  CHECK_FALSE(records.upToDate(pod, 1, "10"));
  CHECK_FALSE(records.upToDate(ns, 7, "3"));
}

TEST_CASE("forgetting one session's namespace keeps the others", "[controller][reconcile][applied]") {
  AppliedRecords records;
  records.record(childKey("pods", "sess-a", "worker"), 1, "1");
  records.record(childKey("pods", "sess-ab", "worker"), 1, "2");
  records.forgetNamespace("sess-a");
  CHECK_FALSE(records.upToDate(childKey("pods", "sess-a", "worker"), 1, "1"));
  CHECK(records.upToDate(childKey("pods", "sess-ab", "worker"), 1, "2"));
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

TEST_CASE("the ownership digest moves when someone takes a field the controller applied, not on status writes",
          "[controller][reconcile][applied]") {
  const std::string base = ownershipDigest(podWith(kApplied));
  REQUIRE(base.rfind("mf:", 0) == 0);
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
      {"only the time of our entry differs",
       podWith(R"([
  {"manager": "sessiongate-controller", "operation": "Apply", "apiVersion": "v1", "time": "2026-01-02T00:00:00Z",
   "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:containers": {"k:{\"name\":\"worker\"}": {".": {}}}}}}])"),
       true},
      {"kubectl edit took a field from us (our set shrank, an Update entry appeared)",
       podWith(R"([
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
  ObjectStore store(false);
  store.upsert(podWith(kApplied));
  auto cached = store.find("sess-a", "worker");
  REQUIRE(cached);
  CHECK_FALSE((*cached)["metadata"].contains("managedFields"));
  CHECK(ownershipDigest(*cached) == ownershipDigest(podWith(kApplied)));
  // Without managed fields (the API server never omits them; fakes may) any new version counts as a change.
  CHECK(ownershipDigest(podWith(nullptr, "7")) == "rv:7");
  CHECK(ownershipDigest(podWith(nullptr, "8")) != ownershipDigest(podWith(nullptr, "7")));
  CHECK(ownershipDigest(Json::parse(R"({"metadata": {"name": "x"}})")).empty());
}
