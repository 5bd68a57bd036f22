#pragma once
// The reconciler's two seams to the cluster, so that its logic is tested with fakes: ClusterClient writes
// (server-side apply with the controller's field manager, deletes, patches, Events), ObjectCache reads the
// informers' copies. The real client wraps core/kube's KubeClient (kube_cluster_client.h).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/kube/api_error.h"
#include "core/kube/object_store.h"
#include "core/kube/resource_ref.h"

namespace sessiongate::controller {

// kFieldManager owns the fields the controller applies.
inline constexpr const char* kFieldManager = "sessiongate-controller";

// ClusterClient is the API the reconciler writes through. Every call is one API request.
class ClusterClient {
 public:
  virtual ~ClusterClient() = default;
  // apply is a server-side apply of object (which carries apiVersion, kind, metadata.name and namespace)
  // with fieldManager sessiongate-controller and force=true: it creates, repairs and is a no-op when nothing
  // changed. The answer is the object as stored.
  virtual kube::ApiResult<Json> apply(const kube::ResourceRef& ref, const Json& object) = 0;
  // get reads one object from the API server (not a cache).
  virtual kube::ApiResult<Json> get(const kube::ResourceRef& ref, std::string_view ns,
                                    std::string_view name) = 0;
  // remove deletes one object (background propagation).
  virtual kube::ApiResult<Json> remove(const kube::ResourceRef& ref, std::string_view ns,
                                       std::string_view name) = 0;
  // mergePatch sends a JSON merge patch to the object.
  virtual kube::ApiResult<Json> mergePatch(const kube::ResourceRef& ref, std::string_view ns,
                                           std::string_view name, const Json& patch) = 0;
  // mergePatchStatus sends a JSON merge patch to the object's status subresource.
  virtual kube::ApiResult<Json> mergePatchStatus(const kube::ResourceRef& ref, std::string_view ns,
                                                 std::string_view name, const Json& patch) = 0;
  // create POSTs a new object: a child the cache has never seen (cheaper for the API server than an apply;
  // AlreadyExists sends the caller to apply) and Events, which are never applied.
  virtual kube::ApiResult<Json> create(const kube::ResourceRef& ref, std::string_view ns,
                                       const Json& object) = 0;
};

// ObjectCache is the informers' view of the cluster: possibly a little stale, never blocking on the API.
class ObjectCache {
 public:
  virtual ~ObjectCache() = default;
  // find returns the cached object, read-only (shared, or decoded from a packed store), or null when the
  // informer does not hold it.
  virtual kube::SharedObject find(const kube::ResourceRef& ref, std::string_view ns,
                                  std::string_view name) const = 0;
  // sessionsOf is every cached UserSession whose spec.user is user.
  virtual std::vector<kube::SharedObject> sessionsOf(std::string_view user) const = 0;
};

}  // namespace sessiongate::controller
