#include "controller/options.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>

#include "controller/inactivity/tracker_endpoints.h"
#include "core/duration.h"

namespace sessiongate::controller {

namespace {

// Flag is one flag: whether it takes a value, and how it stores it.
struct Flag {
  bool takesValue;
  std::function<std::optional<std::string>(ControllerOptions&, const std::string&)> set;
};

std::optional<std::string> setInt(int& out, const std::string& value, int min) {
  try {
    std::size_t used = 0;
    int parsed = std::stoi(value, &used);
    if (used != value.size() || parsed < min) throw std::invalid_argument(value);
    out = parsed;
    return std::nullopt;
  } catch (...) {
    return "expected an integer of at least " + std::to_string(min) + ", got \"" + value + "\"";
  }
}

std::optional<std::string> setBool(bool& out, const std::string& value) {
  if (value == "true" || value.empty())
    out = true;
  else if (value == "false")
    out = false;
  else
    return "expected true or false, got \"" + value + "\"";
  return std::nullopt;
}

// addTrackerUrls appends one URL or a comma list; each must be http://HOST:PORT[/] (plain HTTP: the trackers
// serve their activity on the cluster network without TLS).
std::optional<std::string> addTrackerUrls(std::vector<std::string>& out, const std::string& value) {
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    std::string url = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!url.empty() && url.back() == '/') url.pop_back();
    const std::string scheme = "http://";
    if (url.rfind(scheme, 0) != 0 || url.size() == scheme.size() ||
        url.find('/', scheme.size()) != std::string::npos)
      return "expected http://HOST:PORT (a comma list or the flag repeated), got \"" + url + "\"";
    out.push_back(url);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return std::nullopt;
}

// addNamespaces appends one namespace or a comma list; each must be a DNS label.
std::optional<std::string> addNamespaces(std::vector<std::string>& out, const std::string& value) {
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    std::string ns = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const bool label = !ns.empty() && ns.size() <= 63 && std::isalnum(static_cast<unsigned char>(ns.front())) &&
                       std::isalnum(static_cast<unsigned char>(ns.back())) &&
                       std::all_of(ns.begin(), ns.end(), [](unsigned char c) {
                         return std::islower(c) || std::isdigit(c) || c == '-';
                       });
    if (!label)
      return "expected a namespace name (a DNS label: lower-case letters, digits and '-'), a comma list or the "
             "flag repeated, got \"" +
             ns + "\"";
    if (std::find(out.begin(), out.end(), ns) == out.end()) out.push_back(ns);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return std::nullopt;
}

std::map<std::string, Flag> flags() {
  auto text = [](std::string ControllerOptions::*field) {
    return Flag{true, [field](ControllerOptions& o, const std::string& v) -> std::optional<std::string> {
                  o.*field = v;
                  return std::nullopt;
                }};
  };
  return {
      {"kubeconfig", text(&ControllerOptions::kubeconfig)},
      {"context", text(&ControllerOptions::context)},
      {"policy-name", text(&ControllerOptions::policyName)},
      {"workers", {true, [](ControllerOptions& o, const std::string& v) { return setInt(o.workers, v, 1); }}},
      {"leader-elect",
       {false, [](ControllerOptions& o, const std::string& v) { return setBool(o.leaderElect, v); }}},
      {"leader-elect-namespace", text(&ControllerOptions::leaderElectNamespace)},
      {"leader-election-namespace", text(&ControllerOptions::leaderElectNamespace)},
      {"leader-elect-name", text(&ControllerOptions::leaderElectName)},
      {"leader-elect-identity", text(&ControllerOptions::leaderElectIdentity)},
      {"metrics-listen", text(&ControllerOptions::metricsListen)},
      {"log-format",
       {true,
        [](ControllerOptions& o, const std::string& v) -> std::optional<std::string> {
          if (v != "text" && v != "json") return "expected text or json, got \"" + v + "\"";
          o.logFormat = v;
          return std::nullopt;
        }}},
      {"log-level", text(&ControllerOptions::logLevel)},
      {"tracker-url",
       {true, [](ControllerOptions& o, const std::string& v) { return addTrackerUrls(o.trackerUrls, v); }}},
      {"tracker-selector",
       {true,
        [](ControllerOptions& o, const std::string& v) -> std::optional<std::string> {
          if (v.empty() || v.find_first_of(" \t\n") != std::string::npos)
            return "expected a label selector such as app.kubernetes.io/name=sessiongate-tracker, got \"" + v +
                   "\"";
          o.trackerSelector = v;
          return std::nullopt;
        }}},
      {"tracker-namespace",
       {true,
        [](ControllerOptions& o, const std::string& v) { return addNamespaces(o.trackerNamespaces, v); }}},
      {"tracker-port",
       {true,
        [](ControllerOptions& o, const std::string& v) -> std::optional<std::string> {
          auto port = parseTrackerPort(v);
          if (!port) return port.error();
          o.trackerPort = v;
          return std::nullopt;
        }}},
      {"idle-warning-lead",
       {true,
        [](ControllerOptions& o, const std::string& v) -> std::optional<std::string> {
          auto lead = parseDuration(v);
          if (!lead) return "expected a duration such as 10m or 90s: " + lead.error();
          if (lead->count() <= 0) return "expected a positive duration, got \"" + v + "\"";
          o.idleWarningLead = *lead;
          return std::nullopt;
        }}},
      {"help", {false, [](ControllerOptions& o, const std::string& v) { return setBool(o.help, v); }}},
  };
}

}  // namespace

std::string usage() {
  return "Usage: sessiongate-controller [flags]\n"
         "Turns each UserSession into a namespace sess-<name> with quota, limits, network policies, a "
         "RoleBinding,\n"
         "a worker pod and, on request, a LoadBalancer Service with an allocated address and ports.\n\n"
         "  --kubeconfig FILE                 kubeconfig to use (default: $KUBECONFIG, in-cluster, "
         "~/.kube/config)\n"
         "  --context NAME                    kubeconfig context (default: current-context)\n"
         "  --policy-name NAME                the SessionPolicy in force (default: default)\n"
         "  --workers N                       sessions reconciled in parallel (default: 4)\n"
         "  --leader-elect[=true|false]       hold a coordination.k8s.io Lease before reconciling (default: "
         "false)\n"
         "  --leader-elect-namespace NS       namespace of the Lease (default: sessiongate-system);\n"
         "                                    --leader-election-namespace is the same flag\n"
         "  --leader-elect-name NAME          name of the Lease (default: sessiongate-controller)\n"
         "  --leader-elect-identity ID        this candidate's identity (default: hostname_pid)\n"
         "  --metrics-listen HOST:PORT        plain HTTP for /metrics, /healthz, /readyz (default: "
         "127.0.0.1:8081)\n"
         "  --log-format text|json            log line format (default: text)\n"
         "  --log-level LEVEL                 trace, debug, info, warn, error (default: info)\n"
         "  --tracker-url URL                 an activity tracker http://HOST:PORT, repeated or a comma\n"
         "                                    list (default: none; then no session is ended as idle)\n"
         "  --tracker-selector SELECTOR       find trackers by this label selector on the EndpointSlices of\n"
         "                                    their Services (e.g. app.kubernetes.io/name=sessiongate-tracker)\n"
         "                                    in --tracker-namespace; every ready endpoint is read\n"
         "  --tracker-namespace NS            where to look for them, repeated or a comma list (required\n"
         "                                    with --tracker-selector)\n"
         "  --tracker-port NAME|N             the trackers' port in their EndpointSlices (default: activity)\n"
         "  --idle-warning-lead D             IdleSoon condition and Warning Event this long before an\n"
         "                                    idle session ends (Go duration, default: 10m)\n"
         "  --help                            print this help\n";
}

std::string defaultIdentity() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  return std::string(host[0] ? host : "unknown") + "_" + std::to_string(getpid());
}

Result<ControllerOptions> parseOptions(const std::vector<std::string>& args) {
  ControllerOptions options;
  auto known = flags();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) return Error{"unexpected argument \"" + arg + "\"; see --help"};
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto flag = known.find(name);
    if (flag == known.end()) return Error{"unknown flag --" + name + "; see --help"};
    if (!value) {
      if (flag->second.takesValue) {
        if (i + 1 >= args.size()) return Error{"flag --" + name + " needs a value"};
        value = args[++i];
      } else {
        value = "";
      }
    }
    if (auto problem = flag->second.set(options, *value)) return Error{"flag --" + name + ": " + *problem};
  }
  if (!options.trackerSelector.empty() && options.trackerNamespaces.empty())
    return Error{"flag --tracker-selector needs --tracker-namespace: the controller looks for trackers only in "
                 "the namespaces it is allowed to list EndpointSlices in (manifests/tracker/rbac.yaml)"};
  if (options.trackerSelector.empty() && !options.trackerNamespaces.empty())
    return Error{"flag --tracker-namespace needs --tracker-selector (the labels of the trackers' Services)"};
  if (options.leaderElectIdentity.empty()) options.leaderElectIdentity = defaultIdentity();
  return options;
}

}  // namespace sessiongate::controller
