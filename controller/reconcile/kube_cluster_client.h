#pragma once
// KubeClusterClient is the ClusterClient of a running controller: each call goes to the API server through
// core/kube's KubeClient, and is counted for /metrics.
#include <functional>

#include "controller/reconcile/cluster_client.h"
#include "core/kube/kube_client.h"

namespace sessiongate::controller {

// KubeClusterClient forwards to a KubeClient; onRequest(verb, code) is called after every request (code 0
// when the server was not reached).
class KubeClusterClient : public ClusterClient {
 public:
  using RequestObserver = std::function<void(const char* verb, int code)>;
  KubeClusterClient(const kube::KubeClient& client, RequestObserver onRequest);

  kube::ApiResult<Json> apply(const kube::ResourceRef& ref, const Json& object) override;
  kube::ApiResult<Json> get(const kube::ResourceRef& ref, std::string_view ns,
                            std::string_view name) override;
  kube::ApiResult<Json> remove(const kube::ResourceRef& ref, std::string_view ns,
                               std::string_view name) override;
  kube::ApiResult<Json> mergePatch(const kube::ResourceRef& ref, std::string_view ns, std::string_view name,
                                   const Json& patch) override;
  kube::ApiResult<Json> mergePatchStatus(const kube::ResourceRef& ref, std::string_view ns,
                                         std::string_view name, const Json& patch) override;
  kube::ApiResult<Json> create(const kube::ResourceRef& ref, std::string_view ns,
                               const Json& object) override;

 private:
  kube::ApiResult<Json> observe(const char* verb, kube::ApiResult<Json> result);

  const kube::KubeClient& client_;
  RequestObserver onRequest_;
};

}  // namespace sessiongate::controller
