#pragma once
// WebhookFlags are the command line of sessiongate-webhook, declared in one core/command_flags table
// (webhookCommand) that drives parsing, the checks and --help; parseWebhookFlags says exactly which flag is
// wrong. main() prints helpText(webhookCommand()) for --help and exits kExitUsage on an error.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/command_flags.h"
#include "core/result.h"
#include "webhook/server/webhook_server.h"

namespace sessiongate::webhook {

// kMaxWorkers bounds --max-workers.
inline constexpr std::size_t kMaxWorkers = 256;

// WebhookFlags holds every flag's value, defaults filled in.
struct WebhookFlags {
  bool help = false;
  std::string listenHost = "0.0.0.0";
  int listenPort = 8443;
  std::filesystem::path tlsCert;
  std::filesystem::path tlsKey;
  std::optional<std::filesystem::path> clientCA;
  std::vector<std::filesystem::path> policies;  // file mode; empty: cluster mode (watch-fed cache)
  std::string kubeconfig;                       // cluster mode: empty means $KUBECONFIG, in-cluster, ~/.kube/config
  std::string context;                          // kubeconfig context; empty: current-context
  std::string policyName = "default";
  std::string controllerServiceAccount = "system:serviceaccount:sessiongate-system:sessiongate-controller";
  std::string logFormat = "text";
  std::string logLevel = "info";
  std::size_t maxBodyBytes = kDefaultMaxBodyBytes;
  std::chrono::milliseconds drainTimeout{std::chrono::seconds(25)};
  std::chrono::milliseconds shutdownGrace{std::chrono::seconds(5)};
  std::size_t maxWorkers = kDefaultWorkers;
  std::size_t maxHandshakes = DefaultMaxHandshakes;
  std::size_t maxHeaderBytes = kDefaultMaxHeaderBytes;
  std::size_t maxConnectionsPerClient = kDefaultMaxConnectionsPerClient;
};

// webhookCommand is the flag table of sessiongate-webhook.
const CommandSpec& webhookCommand();

// parseWebhookFlags reads the arguments after argv[0]. Flags take their value as `--flag value` or
// `--flag=value`; --policies repeats or takes a comma list.
Result<WebhookFlags> parseWebhookFlags(const std::vector<std::string>& args);

}  // namespace sessiongate::webhook
