#include "webhook/server/options.h"

#include <charconv>

#include "core/logging.h"

namespace sessiongate::webhook {
namespace {

CommandSpec makeWebhookCommand() {
  CommandSpec spec{
      "sessiongate-webhook --tls-cert FILE --tls-key FILE (--policies PATH | [--kubeconfig FILE]) [flags]",
      "Serves the sessiongate admission webhook (POST /validate, /mutate; GET /healthz, /readyz, /metrics).",
      {
          {"listen", "ADDR:PORT", "address and port to serve HTTPS on (IPv6 as [::]:8443)", false,
           "0.0.0.0:8443"},
          {"tls-cert", "FILE", "serving certificate, PEM, leaf first then chain; reloaded when it changes",
           true},
          {"tls-key", "FILE", "private key of the serving certificate, PEM; reloaded when it changes", true},
          {"client-ca", "FILE", "require client certificates signed by a CA in this PEM file (the API server's)"},
          {"policies", "PATH",
           "SessionPolicy/UserSession/Namespace YAML or JSON file or folder, or a comma list; reloaded when "
           "changed",
           false, "", false, true},
          {"kubeconfig", "FILE",
           "cluster mode: watch the SessionPolicy, UserSessions and session Namespaces through this kubeconfig "
           "(default without --policies: $KUBECONFIG, else the pod's service account)"},
          {"context", "NAME", "kubeconfig context to use (default: current-context)"},
          {"policy-name", "NAME", "name of the SessionPolicy in force", false, "default"},
          {"controller-service-account", "USER",
           "username of the controller, the only one allowed to create LoadBalancer Services in session "
           "namespaces",
           false, WebhookFlags{}.controllerServiceAccount},
          {"max-body-bytes", "N", "largest accepted request body in bytes; larger gets 413", false,
           std::to_string(kDefaultMaxBodyBytes)},
          {"drain-timeout", "DURATION",
           "on SIGTERM, after the grace period, how long the requests already received may take to be "
           "answered",
           false, "25s"},
          {"shutdown-grace", "DURATION",
           "on SIGTERM, how long to keep accepting connections (answering each with Connection: close) "
           "before closing the listener, while the endpoints leave the Service",
           false, "5s"},
          {"max-workers", "N",
           "threads handling requests at once (1-256; requests are CPU work, give about one per core); "
           "connections are read and written by one event loop whatever their number",
           false, std::to_string(kDefaultWorkers)},
          {"max-handshakes", "N",
           "TLS handshakes in progress at once (1-" + std::to_string(MaxHandshakes) +
               "); the others wait their turn, taken round-robin over client addresses, holding only their "
               "socket",
           false, std::to_string(DefaultMaxHandshakes)},
          {"max-header-bytes", "N", "largest accepted request line and headers in bytes; larger gets 431", false,
           std::to_string(kDefaultMaxHeaderBytes)},
          {"max-connections-per-client", "N",
           "most connections open at once from one client address; more are closed unanswered", false,
           std::to_string(kDefaultMaxConnectionsPerClient)},
      },
      {}};
  for (FlagSpec& flag : loggingFlags()) spec.flags.push_back(std::move(flag));
  return spec;
}

Result<bool> parseListen(const std::string& text, WebhookFlags& flags) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) return Error{"flag --listen: \"" + text + "\" has no port; write ADDR:PORT"};
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto portText = text.substr(colon + 1);
  int port = 0;
  auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
  if (ec != std::errc() || end != portText.data() + portText.size() || port < 1 || port > 65535) {
    return Error{"flag --listen: port \"" + portText + "\" is not in 1..65535"};
  }
  flags.listenHost = host.empty() ? "0.0.0.0" : host;
  flags.listenPort = port;
  return true;
}

// count reads a positive size flag into out.
Result<bool> count(const ParsedArgs& args, const char* name, std::size_t& out) {
  auto n = flagNumber(args, name, 1, 1LL << 40);
  if (!n) return Error{n.error()};
  out = static_cast<std::size_t>(*n);
  return true;
}

Result<bool> duration(const ParsedArgs& args, const char* name, std::chrono::milliseconds& out) {
  auto d = flagDuration(args, name);
  if (!d) return Error{d.error()};
  out = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
  return true;
}

}  // namespace

const CommandSpec& webhookCommand() {
  static const CommandSpec spec = makeWebhookCommand();
  return spec;
}

Result<WebhookFlags> parseWebhookFlags(const std::vector<std::string>& args) {
  auto parsed = parseArgs(webhookCommand(), args);
  if (!parsed) return Error{parsed.error()};
  WebhookFlags flags;
  if (parsed->help) {
    flags.help = true;
    return flags;
  }
  if (auto listen = parseListen(*parsed->flag("listen"), flags); !listen) return Error{listen.error()};
  flags.tlsCert = *parsed->flag("tls-cert");
  flags.tlsKey = *parsed->flag("tls-key");
  if (auto ca = parsed->flag("client-ca")) flags.clientCA = *ca;
  for (const std::string& value : parsed->values("policies")) {
    auto paths = commaList("policies", value);
    if (!paths) return Error{paths.error()};
    flags.policies.insert(flags.policies.end(), paths->begin(), paths->end());
  }
  flags.kubeconfig = parsed->flag("kubeconfig").value_or("");
  flags.context = parsed->flag("context").value_or("");
  flags.policyName = *parsed->flag("policy-name");
  flags.controllerServiceAccount = *parsed->flag("controller-service-account");
  flags.logFormat = *parsed->flag("log-format");
  flags.logLevel = *parsed->flag("log-level");
  for (auto checked : {count(*parsed, "max-body-bytes", flags.maxBodyBytes),
                       count(*parsed, "max-header-bytes", flags.maxHeaderBytes),
                       count(*parsed, "max-connections-per-client", flags.maxConnectionsPerClient),
                       duration(*parsed, "drain-timeout", flags.drainTimeout),
                       duration(*parsed, "shutdown-grace", flags.shutdownGrace)}) {
    if (!checked) return Error{checked.error()};
  }
  auto workers = flagNumber(*parsed, "max-workers", 1, static_cast<long long>(kMaxWorkers));
  if (!workers) return Error{workers.error()};
  flags.maxWorkers = static_cast<std::size_t>(*workers);
  auto handshakes = flagNumber(*parsed, "max-handshakes", 1, static_cast<long long>(MaxHandshakes));
  if (!handshakes) return Error{handshakes.error()};
  flags.maxHandshakes = static_cast<std::size_t>(*handshakes);
  if (!flags.policies.empty() && (!flags.kubeconfig.empty() || !flags.context.empty())) {
    return Error{"--policies and --kubeconfig/--context exclude each other: read the policy from files or "
                 "from the cluster, not both"};
  }
  return flags;
}

}  // namespace sessiongate::webhook
