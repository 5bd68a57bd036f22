#pragma once
// Fakes for the reconciler's seams: FakeCluster is a ClusterClient that records every call and keeps what was
// applied; FakeCache is an ObjectCache filled by the test.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controller/reconcile/cluster_client.h"

namespace sessiongate::controller::testing {

// FakeCluster keeps objects by "resource ns/name"; a call listed in failures ("apply pods") fails with 500,
// one listed in refusals with the error given there (a quota's or a webhook's 403).
class FakeCluster : public ClusterClient {
 public:
  std::vector<std::string> calls;       // "apply namespaces /sess-a", in order
  std::map<std::string, Json> objects;  // what the fake API server holds
  std::vector<Json> events;             // Events created
  std::set<std::string> failures;       // "verb resource" that answer an error
  std::map<std::string, kube::ApiError> refusals;  // "verb resource" that answer this error
  int invalidPodApplies = 0;            // this many pod applies answer 422 Invalid first

  static std::string key(const kube::ResourceRef& ref, std::string_view ns, std::string_view name) {
    return ref.resource + " " + std::string(ns) + "/" + std::string(name);
  }

  kube::ApiResult<Json> apply(const kube::ResourceRef& ref, const Json& object) override {
    std::string ns = object["metadata"].value("namespace", "");
    std::string name = object["metadata"]["name"];
    if (auto failure = record("apply", ref, ns, name)) return *failure;
    if (ref.resource == "pods" && invalidPodApplies > 0) {
      --invalidPodApplies;
      return kube::ApiError{422,
                            "Invalid",
                            "Pod \"worker\" is invalid: spec: Forbidden: pod updates may not change fields",
                            {}};
    }
    // As the API server: an apply to the main resource leaves the stored status alone.
    Json stored = object;
    auto existing = objects.find(key(ref, ns, name));
    if (existing != objects.end() && existing->second.contains("status"))
      stored["status"] = existing->second["status"];
    bumpVersion(stored);
    objects[key(ref, ns, name)] = stored;
    return stored;
  }
  kube::ApiResult<Json> get(const kube::ResourceRef& ref, std::string_view ns,
                            std::string_view name) override {
    if (auto failure = record("get", ref, ns, name)) return *failure;
    auto it = objects.find(key(ref, ns, name));
    if (it == objects.end()) return notFound(ref, name);
    return it->second;
  }
  kube::ApiResult<Json> remove(const kube::ResourceRef& ref, std::string_view ns,
                               std::string_view name) override {
    if (auto failure = record("delete", ref, ns, name)) return *failure;
    if (objects.erase(key(ref, ns, name)) == 0) return notFound(ref, name);
    return Json{{"kind", "Status"}, {"status", "Success"}};
  }
  kube::ApiResult<Json> mergePatch(const kube::ResourceRef& ref, std::string_view ns, std::string_view name,
                                   const Json& patch) override {
    if (auto failure = record("patch", ref, ns, name)) return *failure;
    Json& object = objects[key(ref, ns, name)];
    object.merge_patch(patch);
    bumpVersion(object);
    return object;
  }
  kube::ApiResult<Json> mergePatchStatus(const kube::ResourceRef& ref, std::string_view ns,
                                         std::string_view name, const Json& patch) override {
    if (auto failure = record("patch-status", ref, ns, name)) return *failure;
    Json& object = objects[key(ref, ns, name)];
    object.merge_patch(patch);
    bumpVersion(object);
    return object;
  }
  kube::ApiResult<Json> create(const kube::ResourceRef& ref, std::string_view ns,
                               const Json& object) override {
    if (auto failure = record("create", ref, ns, object["metadata"]["name"].get<std::string>()))
      return *failure;
    if (ref.resource == "events") {
      events.push_back(object);
      return object;
    }
    std::string k = key(ref, ns, object["metadata"]["name"].get<std::string>());
    if (objects.count(k)) return kube::ApiError{409, "AlreadyExists", k + " already exists", {}};
    Json stored = object;
    bumpVersion(stored);
    objects[k] = stored;
    return stored;
  }

 private:
  // bumpVersion gives a written object a new resourceVersion, as the API server does on every write.
  void bumpVersion(Json& object) { object["metadata"]["resourceVersion"] = "fake-" + std::to_string(++version_); }

  int version_ = 0;
  std::optional<kube::ApiError> record(const std::string& verb, const kube::ResourceRef& ref,
                                       std::string_view ns, std::string_view name) {
    // Event names carry a time-derived suffix: the call log names only the resource.
    calls.push_back(verb + " " + ref.resource +
                    (ref.resource == "events" ? "" : " " + std::string(ns) + "/" + std::string(name)));
    if (auto refusal = refusals.find(verb + " " + ref.resource); refusal != refusals.end())
      return refusal->second;
    if (failures.count(verb + " " + ref.resource))
      return kube::ApiError{500, "InternalError", "fake failure", {}};
    return std::nullopt;
  }
  static kube::ApiError notFound(const kube::ResourceRef& ref, std::string_view name) {
    return kube::ApiError{404, "NotFound", ref.resource + " \"" + std::string(name) + "\" not found", {}};
  }
};

// FakeCache answers from a map keyed like FakeCluster.
class FakeCache : public ObjectCache {
 public:
  std::map<std::string, Json> objects;

  void put(const kube::ResourceRef& ref, const Json& object) {
    objects[FakeCluster::key(ref, ref.namespaced ? object["metadata"].value("namespace", "") : "",
                             object["metadata"]["name"].get<std::string>())] = object;
  }
  kube::SharedObject find(const kube::ResourceRef& ref, std::string_view ns,
                          std::string_view name) const override {
    auto it = objects.find(FakeCluster::key(ref, ref.namespaced ? ns : "", name));
    if (it == objects.end()) return nullptr;
    return std::make_shared<const Json>(it->second);
  }
  std::vector<kube::SharedObject> sessionsOf(std::string_view user) const override {
    std::vector<kube::SharedObject> out;
    for (const auto& [key, object] : objects) {
      if (key.rfind("usersessions ", 0) == 0 && object["spec"].value("user", "") == user)
        out.push_back(std::make_shared<const Json>(object));
    }
    return out;
  }
};

}  // namespace sessiongate::controller::testing
