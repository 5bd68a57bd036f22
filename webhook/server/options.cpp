#include "webhook/server/options.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>

namespace sessiongate::webhook {
namespace {

struct FlagSpec {
  std::string name;
  std::string valueName;  // empty for a switch
  std::string help;
};

const std::vector<FlagSpec>& flagSpecs() {
  static const std::vector<FlagSpec> specs = {
      {"listen", "ADDR:PORT", "address and port to serve HTTPS on (default 0.0.0.0:8443; IPv6 as [::]:8443)"},
      {"tls-cert", "FILE",
       "serving certificate, PEM, leaf first then chain; reloaded when it changes (required)"},
      {"tls-key", "FILE", "private key of the serving certificate, PEM; reloaded when it changes (required)"},
      {"client-ca", "FILE", "require client certificates signed by a CA in this PEM file (the API server's)"},
      {"policies", "PATH",
       "SessionPolicy/UserSession/Namespace YAML or JSON file or folder; repeat or comma-"
       "separate; reloaded when changed"},
      {"kubeconfig", "FILE",
       "cluster mode: watch the SessionPolicy, UserSessions and session Namespaces through this "
       "kubeconfig (default without --policies: $KUBECONFIG, else the pod's service account)"},
      {"context", "NAME", "kubeconfig context to use (default: current-context)"},
      {"policy-name", "NAME", "name of the SessionPolicy in force (default default)"},
      {"controller-service-account", "USER",
       "username of the controller, the only one allowed to create LoadBalancer Services in session "
       "namespaces "
       "(default system:serviceaccount:sessiongate-system:sessiongate-controller)"},
      {"log-format", "text|json", "log line format (default text)"},
      {"log-level", "LEVEL", "trace, debug, info, warn, error, critical or off (default info)"},
      {"max-body-bytes", "N", "largest accepted request body in bytes; larger gets 413 (default 7340032)"},
      {"drain-timeout", "DURATION",
       "on SIGTERM, after the grace period, how long the requests already received may take to be "
       "answered, e.g. 20s, 1m, 500ms (default 25s)"},
      {"shutdown-grace", "DURATION",
       "on SIGTERM, how long to keep accepting connections (answering each with Connection: close) before "
       "closing the listener, while the endpoints leave the Service (default 5s)"},
      {"max-workers", "N",
       "threads handling requests at once (1-256, default 4); connections are read and written by one event "
       "loop whatever their number"},
      {"max-header-bytes", "N", "largest accepted request line and headers in bytes; larger gets 431 (default 65536)"},
      {"max-connections-per-client", "N",
       "most connections open at once from one client address; more are closed unanswered (default 512)"},
      {"help", "", "print this help and exit"},
  };
  return specs;
}

Result<std::size_t> parseCount(const std::string& flag, const std::string& text) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) {
    return Error{"--" + flag + ": \"" + text + "\" is not a positive whole number"};
  }
  return value;
}

Result<std::chrono::milliseconds> parseDuration(const std::string& flag, const std::string& text) {
  long long amount = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
  std::string unit(end, text.data() + text.size());
  static const std::map<std::string, long long> millisPerUnit = {{"ms", 1}, {"s", 1000}, {"m", 60'000}};
  auto it = millisPerUnit.find(unit);
  if (ec != std::errc() || amount < 0 || it == millisPerUnit.end()) {
    return Error{"--" + flag + ": \"" + text +
                 "\" is not a duration; write a number with ms, s or m, e.g. 25s"};
  }
  return std::chrono::milliseconds(amount * it->second);
}

Result<bool> parseListen(const std::string& text, WebhookFlags& flags) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) return Error{"--listen: \"" + text + "\" has no port; write ADDR:PORT"};
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto portText = text.substr(colon + 1);
  int port = 0;
  auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
  if (ec != std::errc() || end != portText.data() + portText.size() || port < 1 || port > 65535) {
    return Error{"--listen: port \"" + portText + "\" is not in 1..65535"};
  }
  flags.listenHost = host.empty() ? "0.0.0.0" : host;
  flags.listenPort = port;
  return true;
}

Result<bool> apply(const std::string& flag, const std::string& value, WebhookFlags& flags) {
  if (flag == "listen") return parseListen(value, flags);
  if (flag == "tls-cert")
    flags.tlsCert = value;
  else if (flag == "tls-key")
    flags.tlsKey = value;
  else if (flag == "client-ca")
    flags.clientCA = value;
  else if (flag == "policies") {
    std::size_t start = 0;
    while (start <= value.size()) {
      auto comma = value.find(',', start);
      auto part = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (part.empty()) return Error{"--policies: empty path in \"" + value + "\""};
      flags.policies.emplace_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else if (flag == "kubeconfig") {
    flags.kubeconfig = value;
  } else if (flag == "context") {
    flags.context = value;
  } else if (flag == "policy-name") {
    if (value.empty()) return Error{"--policy-name: must not be empty"};
    flags.policyName = value;
  } else if (flag == "controller-service-account") {
    if (value.empty()) return Error{"--controller-service-account: must not be empty"};
    flags.controllerServiceAccount = value;
  } else if (flag == "log-format") {
    if (value == "text")
      flags.logFormat = LogFormat::Text;
    else if (value == "json")
      flags.logFormat = LogFormat::Json;
    else
      return Error{"--log-format: \"" + value + "\" is neither text nor json"};
  } else if (flag == "log-level") {
    static const std::vector<std::string> levels = {"trace", "debug",    "info", "warn",
                                                    "error", "critical", "off"};
    if (std::find(levels.begin(), levels.end(), value) == levels.end()) {
      return Error{"--log-level: \"" + value +
                   "\" is not one of trace, debug, info, warn, error, critical, off"};
    }
    flags.logLevel = value;
  } else if (flag == "max-body-bytes") {
    auto n = parseCount(flag, value);
    if (!n) return Error{n.error()};
    flags.maxBodyBytes = *n;
  } else if (flag == "drain-timeout") {
    auto d = parseDuration(flag, value);
    if (!d) return Error{d.error()};
    flags.drainTimeout = *d;
  } else if (flag == "shutdown-grace") {
    auto d = parseDuration(flag, value);
    if (!d) return Error{d.error()};
    flags.shutdownGrace = *d;
  } else if (flag == "max-header-bytes") {
    auto n = parseCount(flag, value);
    if (!n) return Error{n.error()};
    flags.maxHeaderBytes = *n;
  } else if (flag == "max-connections-per-client") {
    auto n = parseCount(flag, value);
    if (!n) return Error{n.error()};
    flags.maxConnectionsPerClient = *n;
  } else if (flag == "max-workers") {
    auto n = parseCount(flag, value);
    if (!n) return Error{n.error()};
    if (*n > MaxWorkers) {
      return Error{"--max-workers: " + value + " threads is more than " + std::to_string(MaxWorkers) +
                   "; requests are CPU work, give about one per core"};
    }
    flags.maxWorkers = *n;
  }
  return true;
}

}  // namespace

Result<WebhookFlags> parseWebhookFlags(const std::vector<std::string>& args) {
  WebhookFlags flags;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) return Error{"unexpected argument \"" + arg + "\"; flags start with --"};
    auto eq = arg.find('=');
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    auto spec = std::find_if(flagSpecs().begin(), flagSpecs().end(),
                             [&](const FlagSpec& s) { return s.name == name; });
    if (spec == flagSpecs().end()) return Error{"unknown flag --" + name};
    if (spec->valueName.empty()) {
      if (eq != std::string::npos) return Error{"--" + name + " takes no value"};
      flags.help = true;
      continue;
    }
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
      value = args[++i];
    } else {
      return Error{"--" + name + " needs a value: --" + name + " " + spec->valueName};
    }
    if (auto applied = apply(name, value, flags); !applied) return Error{applied.error()};
  }
  if (flags.help) return flags;
  if (flags.tlsCert.empty() || flags.tlsKey.empty()) {
    return Error{"--tls-cert and --tls-key are required: the webhook serves HTTPS only"};
  }
  if (!flags.policies.empty() && (!flags.kubeconfig.empty() || !flags.context.empty())) {
    return Error{"--policies and --kubeconfig/--context exclude each other: read the policy from files or "
                 "from the cluster, not both"};
  }
  return flags;
}

std::string webhookUsage() {
  std::string out =
      "Usage: sessiongate-webhook --tls-cert FILE --tls-key FILE (--policies PATH | [--kubeconfig FILE]) [flags]\n"
      "Serves the sessiongate admission webhook (POST /validate, /mutate; GET /healthz, /readyz, "
      "/metrics).\n\n"
      "Flags:\n";
  for (const auto& spec : flagSpecs()) {
    std::string left = "  --" + spec.name + (spec.valueName.empty() ? "" : " " + spec.valueName);
    if (left.size() < 40)
      left.resize(40, ' ');
    else
      left += "  ";
    out += left + spec.help + "\n";
  }
  return out;
}

}  // namespace sessiongate::webhook
