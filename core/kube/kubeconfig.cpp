// Reading kubeconfig files (clusters, users, contexts) into a ClientConfig.
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "core/file_text.h"
#include "core/kube/client_config.h"

namespace sessiongate::kube {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> base64Decode(const std::string& in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else if (c == '=') {
      ++padding;
      continue;
    } else if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
      continue;
    } else {
      return std::nullopt;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (padding > 2) return std::nullopt;
  return out;
}

std::string scalar(const YAML::Node& map, const char* key) {
  YAML::Node n = map[key];
  return n && n.IsScalar() ? n.as<std::string>() : std::string();
}

std::string resolvePath(const std::string& path, const std::string& baseDir) {
  if (path.empty() || fs::path(path).is_absolute() || baseDir.empty()) return path;
  return (fs::path(baseDir) / path).lexically_normal().string();
}

// findNamed returns the inner map (`cluster:`, `user:`, `context:`) of the entry called name in a list.
std::optional<YAML::Node> findNamed(const YAML::Node& root, const char* list, const char* inner,
                                    const std::string& name, std::string& known) {
  YAML::Node entries = root[list];
  if (!entries || !entries.IsSequence()) return std::nullopt;
  for (const YAML::Node& entry : entries) {
    std::string entryName = scalar(entry, "name");
    known += (known.empty() ? "" : ", ") + entryName;
    if (entryName == name) {
      YAML::Node body = entry[inner];
      return body && body.IsMap() ? body : YAML::Node(YAML::NodeType::Map);
    }
  }
  return std::nullopt;
}

// pemField reads NAME-data (base64) or NAME (a path) of a cluster or user entry.
Result<bool> pemField(const YAML::Node& node, const std::string& key, const std::string& baseDir,
                      const std::string& where, std::string& file, std::string& data) {
  std::string encoded = scalar(node, (key + "-data").c_str());
  if (!encoded.empty()) {
    auto decoded = base64Decode(encoded);
    if (!decoded) return Error{where + ": " + key + "-data is not valid base64"};
    data = *decoded;
  }
  file = resolvePath(scalar(node, key.c_str()), baseDir);
  return true;
}

Result<bool> readCluster(const YAML::Node& cluster, const std::string& baseDir,
                         const KubeconfigOptions& options, const std::string& where, ClientConfig& config) {
  config.server = scalar(cluster, "server");
  if (config.server.empty()) return Error{where + " has no server URL; set clusters[].cluster.server"};
  auto ca = pemField(cluster, "certificate-authority", baseDir, where, config.caFile, config.caData);
  if (!ca) return ca;
  config.insecureSkipTlsVerify = scalar(cluster, "insecure-skip-tls-verify") == "true";
  if (config.insecureSkipTlsVerify && !options.allowInsecure) {
    return Error{
        where +
        " sets insecure-skip-tls-verify: true; refusing to talk to an API server whose certificate is "
        "not verified. Set certificate-authority or certificate-authority-data instead, or allow "
        "insecure connections explicitly"};
  }
  return true;
}

Result<bool> readUser(const YAML::Node& user, const std::string& baseDir, const std::string& where,
                      ClientConfig& config) {
  if (user["exec"] || user["auth-provider"]) {
    return Error{where +
                 " uses a credential plugin (exec or auth-provider), which is not supported; use a token, "
                 "tokenFile or client certificate"};
  }
  auto cert =
      pemField(user, "client-certificate", baseDir, where, config.clientCertFile, config.clientCertData);
  if (!cert) return cert;
  auto key = pemField(user, "client-key", baseDir, where, config.clientKeyFile, config.clientKeyData);
  if (!key) return key;
  bool hasCert = !config.clientCertData.empty() || !config.clientCertFile.empty();
  bool hasKey = !config.clientKeyData.empty() || !config.clientKeyFile.empty();
  if (hasCert != hasKey) {
    return Error{where + " has a client " +
                 (hasCert ? "certificate but no client-key" : "key but no client-certificate") +
                 "; set both or neither"};
  }
  config.token = scalar(user, "token");
  config.tokenFile = resolvePath(scalar(user, "tokenFile"), baseDir);
  return true;
}

}  // namespace

Result<ClientConfig> parseKubeconfig(const std::string& yaml, const std::string& baseDir,
                                     const KubeconfigOptions& options, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return Error{origin + ": not valid YAML: " + e.what()};
  }
  if (!root.IsMap())
    return Error{origin + ": not a kubeconfig (expected a mapping with clusters, users, contexts)"};

  std::string contextName = options.context.empty() ? scalar(root, "current-context") : options.context;
  if (contextName.empty()) return Error{origin + ": no current-context is set; name a context to use"};
  std::string known;
  auto context = findNamed(root, "contexts", "context", contextName, known);
  if (!context) {
    return Error{origin + ": context \"" + contextName +
                 "\" not found (contexts: " + (known.empty() ? "none" : known) + ")"};
  }

  ClientConfig config;
  config.origin = origin + " (context " + contextName + ")";
  std::string clusterName = scalar(*context, "cluster");
  known.clear();
  auto cluster = findNamed(root, "clusters", "cluster", clusterName, known);
  if (!cluster) {
    return Error{origin + ": cluster \"" + clusterName + "\" of context \"" + contextName + "\" not found"};
  }
  auto clusterOk =
      readCluster(*cluster, baseDir, options, origin + ": cluster \"" + clusterName + "\"", config);
  if (!clusterOk) return Error{clusterOk.error()};

  std::string userName = scalar(*context, "user");
  if (!userName.empty()) {
    known.clear();
    auto user = findNamed(root, "users", "user", userName, known);
    if (!user)
      return Error{origin + ": user \"" + userName + "\" of context \"" + contextName + "\" not found"};
    auto userOk = readUser(*user, baseDir, origin + ": user \"" + userName + "\"", config);
    if (!userOk) return Error{userOk.error()};
  }
  std::string ns = scalar(*context, "namespace");
  if (!ns.empty()) config.defaultNamespace = ns;
  return config;
}

Result<ClientConfig> loadKubeconfig(const std::string& path, const KubeconfigOptions& options) {
  auto text = fileText(path);
  if (!text)
    return Error{"kubeconfig " + path + ": cannot be read; check the path (--kubeconfig or $KUBECONFIG)"};
  std::string baseDir = fs::absolute(fs::path(path)).parent_path().string();
  return parseKubeconfig(*text, baseDir, options, "kubeconfig " + path);
}

Result<ClientConfig> loadClientConfig(const std::string& kubeconfigPath, const KubeconfigOptions& options) {
  if (!kubeconfigPath.empty()) return loadKubeconfig(kubeconfigPath, options);
  if (const char* env = std::getenv("KUBECONFIG"); env && *env) {
    std::string first(env);
    first = first.substr(0, first.find(':'));
    if (!first.empty()) return loadKubeconfig(first, options);
  }
  if (const char* host = std::getenv("KUBERNETES_SERVICE_HOST"); host && *host) return inClusterConfig();
  const char* home = std::getenv("HOME");
  std::string fallback = std::string(home ? home : "") + "/.kube/config";
  return loadKubeconfig(fallback, options);
}

}  // namespace sessiongate::kube
