#pragma once
// KubeClient is a small generic Kubernetes API client: every call is addressed by a ResourceRef (group,
// version, resource), a namespace and a name, and objects go in and come out as raw JSON. Errors carry the
// API's Status. Thread-safe: controller workers share one client.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/kube/api_error.h"
#include "core/kube/client_config.h"
#include "core/kube/http_transport.h"
#include "core/kube/request_options.h"
#include "core/kube/resource_ref.h"
#include "core/kube/stop_signal.h"
#include "core/kube/watch_event.h"

namespace sessiongate::kube {

// ObjectList is every item of a (possibly paged) list and the resourceVersion to start a watch from.
struct ObjectList {
  std::vector<Json> items;
  std::string resourceVersion;
};

// WatchEnd says why a watch call returned without an error.
enum class WatchEnd {
  Closed,  // the server ended the stream (timeoutSeconds elapsed); watch again from the last version
  StoppedByCallback,  // the callback returned false
  Stopped,            // the StopSignal fired
};

// WatchCallback receives each event; returning false ends the watch.
using WatchCallback = std::function<bool(const WatchEvent& event)>;

// KubeClient calls the API server of one ClientConfig.
class KubeClient {
 public:
  // fromConfig prepares the transport (parses certificates, reads the token); it does not connect.
  static Result<std::unique_ptr<KubeClient>> fromConfig(const ClientConfig& config,
                                                        TransportTimeouts timeouts = {});

  ApiResult<Json> get(const ResourceRef& ref, std::string_view ns, std::string_view name) const;
  // list returns one page: the raw List object, with metadata.continue set when more pages remain.
  ApiResult<Json> list(const ResourceRef& ref, std::string_view ns, const ListOptions& options = {}) const;
  // listAll follows continue tokens (options.limit is the page size) and returns all items. eachItem, when
  // set, is applied to every item as its page arrives (a cache trims there, so that a long list is never
  // held whole in its full form).
  ApiResult<ObjectList> listAll(const ResourceRef& ref, std::string_view ns, ListOptions options = {},
                                const std::function<void(Json& item)>& eachItem = {}) const;
  ApiResult<Json> create(const ResourceRef& ref, std::string_view ns, const Json& object,
                         const WriteOptions& options = {}) const;
  // update replaces the object named by object.metadata.name (optimistic concurrency on its resourceVersion).
  ApiResult<Json> update(const ResourceRef& ref, std::string_view ns, const Json& object,
                         const WriteOptions& options = {}) const;
  // updateStatus replaces the status subresource of the object named by object.metadata.name.
  ApiResult<Json> updateStatus(const ResourceRef& ref, std::string_view ns, const Json& object,
                               const WriteOptions& options = {}) const;
  // patch sends a merge patch, RFC 6902 JSON patch (an array), strategic merge patch or server-side apply.
  ApiResult<Json> patch(const ResourceRef& ref, std::string_view ns, std::string_view name, PatchType type,
                        const Json& patch, const PatchOptions& options = {}) const;
  // patchStatus is patch on the status subresource.
  ApiResult<Json> patchStatus(const ResourceRef& ref, std::string_view ns, std::string_view name,
                              PatchType type, const Json& patch, const PatchOptions& options = {}) const;
  // remove deletes; the answer is the Status of the deletion or the object still being finalized.
  ApiResult<Json> remove(const ResourceRef& ref, std::string_view ns, std::string_view name,
                         const DeleteOptions& options = {}) const;
  // watch streams events until the server closes the stream, the callback returns false or stop fires.
  // ERROR events (e.g. 410 Expired) are passed to the callback like any other.
  ApiResult<WatchEnd> watch(const ResourceRef& ref, std::string_view ns, const WatchOptions& options,
                            const WatchCallback& callback, StopSignal& stop) const;

  // cancelledBy is this client (the same server and connections) with every call ended at once when stop
  // fires, and failed without connecting after: what a loop that must stop promptly calls through, in the
  // way Go code passes a context. The copy must not outlive stop; a watch is ended by its own stop as before.
  KubeClient cancelledBy(StopSignal& stop) const;

  // defaultNamespace is the namespace of the kubeconfig context or of the pod's service account.
  const std::string& defaultNamespace() const { return defaultNamespace_; }

 private:
  KubeClient() = default;
  ApiResult<Json> call(const std::string& method, const std::string& pathAndQuery, const std::string& body,
                       const std::string& contentType) const;
  ApiResult<Json> write(const std::string& method, const ResourceRef& ref, std::string_view ns,
                        const Json& object, std::string_view subresource, const WriteOptions& options) const;
  ApiResult<Json> patchAt(const ResourceRef& ref, std::string_view ns, std::string_view name,
                          std::string_view subresource, PatchType type, const Json& patch,
                          const PatchOptions& options) const;

  std::shared_ptr<HttpTransport> transport_;  // shared with the clients cancelledBy makes
  std::string defaultNamespace_;
  StopSignal* cancel_ = nullptr;
};

}  // namespace sessiongate::kube
