#include "controller/reconcile/kube_cluster_client.h"

#include <string>
#include <utility>

namespace sessiongate::controller {

KubeClusterClient::KubeClusterClient(const kube::KubeClient& client, RequestObserver onRequest)
    : client_(client), onRequest_(std::move(onRequest)) {}

kube::ApiResult<Json> KubeClusterClient::observe(const char* verb, kube::ApiResult<Json> result) {
  if (onRequest_) onRequest_(verb, result.ok() ? 200 : result.error().code);
  return result;
}

kube::ApiResult<Json> KubeClusterClient::apply(const kube::ResourceRef& ref, const Json& object) {
  const Json& metadata = object.at("metadata");
  std::string ns = metadata.value("namespace", "");
  std::string name = metadata.at("name").get<std::string>();
  kube::PatchOptions options;
  options.fieldManager = kFieldManager;
  options.force = true;
  return observe("apply", client_.patch(ref, ns, name, kube::PatchType::Apply, object, options));
}

kube::ApiResult<Json> KubeClusterClient::get(const kube::ResourceRef& ref, std::string_view ns,
                                             std::string_view name) {
  return observe("get", client_.get(ref, ns, name));
}

kube::ApiResult<Json> KubeClusterClient::remove(const kube::ResourceRef& ref, std::string_view ns,
                                                std::string_view name) {
  kube::DeleteOptions options;
  options.propagationPolicy = "Background";
  return observe("delete", client_.remove(ref, ns, name, options));
}

kube::ApiResult<Json> KubeClusterClient::mergePatch(const kube::ResourceRef& ref, std::string_view ns,
                                                    std::string_view name, const Json& patch) {
  kube::PatchOptions options;
  options.fieldManager = kFieldManager;
  return observe("patch", client_.patch(ref, ns, name, kube::PatchType::Merge, patch, options));
}

kube::ApiResult<Json> KubeClusterClient::mergePatchStatus(const kube::ResourceRef& ref, std::string_view ns,
                                                          std::string_view name, const Json& patch) {
  kube::PatchOptions options;
  options.fieldManager = kFieldManager;
  return observe("patch", client_.patchStatus(ref, ns, name, kube::PatchType::Merge, patch, options));
}

kube::ApiResult<Json> KubeClusterClient::create(const kube::ResourceRef& ref, std::string_view ns,
                                                const Json& object) {
  kube::WriteOptions options;
  options.fieldManager = kFieldManager;
  return observe("create", client_.create(ref, ns, object, options));
}

}  // namespace sessiongate::controller
