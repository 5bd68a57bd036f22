#include "controller/options.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "controller/inactivity/tracker_endpoints.h"
#include "core/logging.h"

namespace sessiongate::controller {

namespace {

// addTrackerUrls appends one URL or a comma list; each must be http://HOST:PORT[/] (plain HTTP: the trackers
// serve their activity on the cluster network without TLS).
Result<bool> addTrackerUrls(std::vector<std::string>& out, const std::string& value) {
  auto urls = commaList("tracker-url", value);
  if (!urls) return Error{urls.error()};
  for (std::string url : *urls) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    const std::string scheme = "http://";
    if (url.rfind(scheme, 0) != 0 || url.size() == scheme.size() ||
        url.find('/', scheme.size()) != std::string::npos)
      return Error{"flag --tracker-url: expected http://HOST:PORT (a comma list or the flag repeated), got \"" +
                   url + "\""};
    out.push_back(url);
  }
  return true;
}

// addNamespaces appends one namespace or a comma list, each once; each must be a DNS label.
Result<bool> addNamespaces(std::vector<std::string>& out, const std::string& value) {
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
      return Error{"flag --tracker-namespace: expected a namespace name (a DNS label: lower-case letters, digits "
                   "and '-'), a comma list or the flag repeated, got \"" +
                   ns + "\""};
    if (std::find(out.begin(), out.end(), ns) == out.end()) out.push_back(ns);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

CommandSpec makeControllerCommand() {
  const ControllerOptions defaults;
  CommandSpec spec{
      "sessiongate-controller [flags]",
      "Turns each UserSession into a namespace sess-<name> with quota, limits, network policies, a RoleBinding,\n"
      "a worker pod and, on request, a LoadBalancer Service with an allocated address and ports.",
      {
          {"kubeconfig", "FILE", "kubeconfig to use (default: $KUBECONFIG, in-cluster, ~/.kube/config)"},
          {"context", "NAME", "kubeconfig context (default: current-context)"},
          {"policy-name", "NAME", "the SessionPolicy in force", false, defaults.policyName},
          {"workers", "N", "sessions reconciled in parallel", false, std::to_string(defaults.workers)},
          {"leader-elect", "", "hold a coordination.k8s.io Lease before reconciling", false, "", true},
          {"leader-elect-namespace", "NS", "namespace of the Lease", false, defaults.leaderElectNamespace, false,
           false, {}, {"leader-election-namespace"}},
          {"leader-elect-name", "NAME", "name of the Lease", false, defaults.leaderElectName},
          {"leader-elect-identity", "ID", "this candidate's identity (default: hostname_pid)"},
          {"metrics-listen", "HOST:PORT", "plain HTTP for /metrics, /healthz, /readyz", false,
           defaults.metricsListen},
          {"tracker-url", "URL",
           "an activity tracker http://HOST:PORT, or a comma list (default: none; then no session is ended as "
           "idle)",
           false, "", false, true},
          {"tracker-selector", "SELECTOR",
           "find trackers by this label selector on the EndpointSlices of their Services (e.g. "
           "app.kubernetes.io/name=sessiongate-tracker) in --tracker-namespace; every ready endpoint is read"},
          {"tracker-namespace", "NS",
           "where to look for them, or a comma list (required with --tracker-selector)", false, "", false, true},
          {"tracker-port", "NAME|N", "the trackers' port in their EndpointSlices", false, defaults.trackerPort},
          {"idle-warning-lead", "DURATION",
           "IdleSoon condition and Warning Event this long before an idle session ends (Go duration)", false,
           "10m"},
      },
      {}};
  for (FlagSpec& flag : loggingFlags()) spec.flags.push_back(std::move(flag));
  return spec;
}

}  // namespace

const CommandSpec& controllerCommand() {
  static const CommandSpec spec = makeControllerCommand();
  return spec;
}

std::string defaultIdentity() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  return std::string(host[0] ? host : "unknown") + "_" + std::to_string(getpid());
}

Result<ControllerOptions> parseOptions(const std::vector<std::string>& args) {
  auto parsed = parseArgs(controllerCommand(), args);
  if (!parsed) return Error{parsed.error()};
  ControllerOptions options;
  if (parsed->help) {
    options.help = true;
    return options;
  }
  options.kubeconfig = parsed->flag("kubeconfig").value_or("");
  options.context = parsed->flag("context").value_or("");
  options.policyName = *parsed->flag("policy-name");
  auto workers = flagNumber(*parsed, "workers", 1, 1024);
  if (!workers) return Error{workers.error()};
  options.workers = static_cast<int>(*workers);
  options.leaderElect = parsed->isOn("leader-elect");
  options.leaderElectNamespace = *parsed->flag("leader-elect-namespace");
  options.leaderElectName = *parsed->flag("leader-elect-name");
  options.leaderElectIdentity = parsed->flag("leader-elect-identity").value_or(defaultIdentity());
  options.metricsListen = *parsed->flag("metrics-listen");
  options.logFormat = *parsed->flag("log-format");
  options.logLevel = *parsed->flag("log-level");
  for (const std::string& value : parsed->values("tracker-url")) {
    if (auto added = addTrackerUrls(options.trackerUrls, value); !added) return Error{added.error()};
  }
  if (auto selector = parsed->flag("tracker-selector")) {
    if (selector->find_first_of(" \t\n") != std::string::npos)
      return Error{"flag --tracker-selector: expected a label selector such as "
                   "app.kubernetes.io/name=sessiongate-tracker, got \"" +
                   *selector + "\""};
    options.trackerSelector = *selector;
  }
  for (const std::string& value : parsed->values("tracker-namespace")) {
    if (auto added = addNamespaces(options.trackerNamespaces, value); !added) return Error{added.error()};
  }
  options.trackerPort = *parsed->flag("tracker-port");
  if (auto port = parseTrackerPort(options.trackerPort); !port) return Error{"flag --tracker-port: " + port.error()};
  if (!options.trackerSelector.empty() && options.trackerNamespaces.empty())
    return Error{"flag --tracker-selector needs --tracker-namespace: the controller looks for trackers only in "
                 "the namespaces it is allowed to list EndpointSlices in (manifests/tracker/rbac.yaml)"};
  if (options.trackerSelector.empty() && !options.trackerNamespaces.empty())
    return Error{"flag --tracker-namespace needs --tracker-selector (the labels of the trackers' Services)"};
  auto lead = flagDuration(*parsed, "idle-warning-lead", std::chrono::seconds(1));
  if (!lead) return Error{lead.error()};
  options.idleWarningLead = *lead;
  return options;
}

}  // namespace sessiongate::controller
