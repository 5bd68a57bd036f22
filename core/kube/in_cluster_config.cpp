// The in-cluster configuration: the pod's service account token, CA and namespace.
#include <cstdlib>

#include "core/file_text.h"
#include "core/kube/client_config.h"

namespace sessiongate::kube {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool readTrimmed(const std::string& path, std::string& out) {
  auto text = fileText(path);
  if (!text) return false;
  out = trimmedLine(std::move(*text));
  return true;
}

}  // namespace

InClusterSettings InClusterSettings::fromEnvironment() {
  InClusterSettings s;
  s.serviceHost = env("KUBERNETES_SERVICE_HOST");
  s.servicePort = env("KUBERNETES_SERVICE_PORT");
  return s;
}

Result<ClientConfig> inClusterConfig(const InClusterSettings& settings) {
  if (settings.serviceHost.empty() || settings.servicePort.empty()) {
    return Error{
        "in-cluster config: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; not running "
        "in a pod? pass a kubeconfig instead"};
  }
  std::string token;
  if (!readTrimmed(settings.tokenFile, token) || token.empty()) {
    return Error{"in-cluster config: cannot read the service-account token " + settings.tokenFile +
                 "; is automountServiceAccountToken disabled?"};
  }
  ClientConfig config;
  bool ipv6 = settings.serviceHost.find(':') != std::string::npos;
  config.server = "https://" + (ipv6 ? "[" + settings.serviceHost + "]" : settings.serviceHost) + ":" +
                  settings.servicePort;
  config.caFile = settings.caFile;
  config.tokenFile = settings.tokenFile;
  std::string ns;
  if (readTrimmed(settings.namespaceFile, ns) && !ns.empty()) config.defaultNamespace = ns;
  config.origin = "in-cluster service account";
  return config;
}

}  // namespace sessiongate::kube
