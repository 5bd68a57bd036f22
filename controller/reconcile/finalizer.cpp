#include "controller/reconcile/finalizer.h"

#include <string>

#include "controller/reconcile/names.h"
#include "controller/reconcile/ownership.h"
#include "core/object_meta.h"

namespace sessiongate::controller {

namespace {

Json finalizersOf(const Json& session) {
  const Json& metadata = session.at("metadata");
  if (metadata.contains("finalizers") && metadata["finalizers"].is_array()) return metadata["finalizers"];
  return Json::array();
}

kube::ApiResult<Json> patchFinalizers(ClusterClient& client, const Json& session, Json finalizers) {
  const Json& metadata = session.at("metadata");
  Json patch = {
      {"metadata",
       {{"finalizers", std::move(finalizers)}, {"resourceVersion", metadata.value("resourceVersion", "")}}}};
  return client.mergePatch(kube::resources::kUserSessions, "", metadata.at("name").get<std::string>(), patch);
}

}  // namespace

bool hasFinalizer(const Json& session) { return metaOf(session).hasFinalizer(kFinalizer); }

kube::ApiResult<Json> addFinalizer(ClusterClient& client, const Json& session) {
  Json finalizers = finalizersOf(session);
  finalizers.push_back(kFinalizer);
  return patchFinalizers(client, session, std::move(finalizers));
}

kube::ApiResult<Json> removeFinalizer(ClusterClient& client, const Json& session) {
  Json kept = Json::array();
  for (const Json& f : finalizersOf(session)) {
    if (f != kFinalizer) kept.push_back(f);
  }
  return patchFinalizers(client, session, std::move(kept));
}

CleanupOutcome cleanUp(const UserSession& session, const ObjectCache& cache, ClusterClient& client,
                       IpamAllocator& ipam, CleanupWrites writes) {
  using Deletion = AppliedRecords::NamespaceDeletion;
  CleanupOutcome outcome;
  const std::string ns = namespaceFor(session.name);
  const std::string key = childKey(kube::resources::kNamespaces.resource, "", ns);
  kube::SharedObject current = cache.find(kube::resources::kNamespaces, "", ns);
  if (!current) {
    if (writes.records.deletion(key, writes.now, writes.cacheAllowance) == Deletion::SeenTerminating) {
      ipam.release(session.name);
      outcome.done = true;
      return outcome;
    }
    auto fetched = client.get(kube::resources::kNamespaces, "", ns);
    if (!fetched && !fetched.error().notFound()) {
      outcome.apiError = fetched.error();
      return outcome;
    }
    if (fetched) current = std::make_shared<const Json>(std::move(*fetched));
  }
  if (current && namespaceOwner(*current, session) == NamespaceOwner::Ours) {
    if (metaOf(*current).deleting()) {
      writes.records.noteDeletion(key, Deletion::SeenTerminating, writes.now);
    } else if (writes.records.deletion(key, writes.now, writes.cacheAllowance) != Deletion::Requested) {
      auto removed = client.remove(kube::resources::kNamespaces, "", ns);
      if (!removed && !removed.error().notFound()) {
        outcome.apiError = removed.error();
        return outcome;
      }
      writes.records.noteDeletion(key, Deletion::Requested, writes.now);
    }
    return outcome;
  }
  ipam.release(session.name);
  outcome.done = true;
  return outcome;
}

}  // namespace sessiongate::controller
