#pragma once
// ClientConfig is everything needed to reach and authenticate to one API server, whether it came from a
// kubeconfig file or from the in-cluster service account. Loading it does no I/O beyond reading files.
#include <string>

#include "core/result.h"

namespace sessiongate::kube {

// ClientConfig holds the server URL, how to verify it and who we are. For each PEM item either the file or
// the in-memory data is set (data wins when both are).
struct ClientConfig {
  std::string server;  // https://host:port[/prefix]; http:// only for tests
  std::string caFile;
  std::string caData;
  bool insecureSkipTlsVerify = false;
  std::string clientCertFile;
  std::string clientCertData;
  std::string clientKeyFile;
  std::string clientKeyData;
  std::string token;  // a fixed bearer token
  std::string
      tokenFile;  // a bearer token re-read when the file changes (bound service-account tokens rotate)
  std::string defaultNamespace = "default";
  std::string origin;  // where this came from, for error messages: "kubeconfig /x (context y)", "in-cluster"
};

// KubeconfigOptions selects what to read from a kubeconfig.
struct KubeconfigOptions {
  std::string context;         // empty: current-context
  bool allowInsecure = false;  // accept insecure-skip-tls-verify: true; refused otherwise
};

// loadKubeconfig reads a kubeconfig file; relative file paths in it are resolved against its directory.
Result<ClientConfig> loadKubeconfig(const std::string& path, const KubeconfigOptions& options = {});
// parseKubeconfig reads kubeconfig YAML text; baseDir resolves relative paths, origin names it in errors.
Result<ClientConfig> parseKubeconfig(const std::string& yaml, const std::string& baseDir,
                                     const KubeconfigOptions& options, const std::string& origin);

// InClusterSettings locates the service account of a pod; fromEnvironment uses the standard places.
struct InClusterSettings {
  std::string serviceHost;  // KUBERNETES_SERVICE_HOST
  std::string servicePort;  // KUBERNETES_SERVICE_PORT
  std::string tokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  std::string caFile = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
  std::string namespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

  static InClusterSettings fromEnvironment();
};

// inClusterConfig builds the config of a pod's service account: the token is re-read from its file.
Result<ClientConfig> inClusterConfig(
    const InClusterSettings& settings = InClusterSettings::fromEnvironment());

// loadClientConfig picks a config the way kubectl and client-go do: the given kubeconfig path, else the first
// file of $KUBECONFIG, else in-cluster when KUBERNETES_SERVICE_HOST is set, else ~/.kube/config.
Result<ClientConfig> loadClientConfig(const std::string& kubeconfigPath,
                                      const KubeconfigOptions& options = {});

}  // namespace sessiongate::kube
