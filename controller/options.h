#pragma once
// ControllerOptions are the flags of sessiongate-controller, declared in one core/command_flags table
// (controllerCommand) that drives parsing, the checks and --help.
#include <chrono>
#include <string>
#include <vector>

#include "core/command_flags.h"
#include "core/result.h"

namespace sessiongate::controller {

// ControllerOptions holds every flag's value; defaults are the documented ones.
struct ControllerOptions {
  std::string kubeconfig;  // empty: $KUBECONFIG, in-cluster, ~/.kube/config
  std::string context;
  std::string policyName = "default";
  int workers = 4;
  bool leaderElect = false;
  std::string leaderElectNamespace = "sessiongate-system";
  std::string leaderElectName = "sessiongate-controller";
  std::string leaderElectIdentity;  // empty: hostname_pid
  std::string metricsListen = "127.0.0.1:8081";
  std::string logFormat = "text";  // text or json
  std::string logLevel = "info";
  // Activity trackers' base URLs (http://HOST:PORT); none: idle sessions are never ended (the status says
  // activity is unknown).
  std::vector<std::string> trackerUrls;
  // Trackers found by label selector on the EndpointSlices of their Services in trackerNamespaces; each
  // ready endpoint is read at trackerPort (a port name or number).
  std::string trackerSelector;
  std::vector<std::string> trackerNamespaces;
  std::string trackerPort = "activity";
  std::chrono::nanoseconds idleWarningLead{std::chrono::minutes(10)};  // IdleSoon this long before the end
  bool help = false;
};

// controllerCommand is the flag table of sessiongate-controller.
const CommandSpec& controllerCommand();
// parseOptions reads the arguments after argv[0]; the error names the flag and what is expected.
Result<ControllerOptions> parseOptions(const std::vector<std::string>& args);
// defaultIdentity is hostname_pid, unique per process on a machine and across machines.
std::string defaultIdentity();

}  // namespace sessiongate::controller
