#include "cli/session_request.h"

#include "core/api_names.h"
#include "core/dns_name.h"
#include "core/duration.h"

namespace sessiongate::cli {
namespace {

// positiveDuration reads a Go duration flag that must be above zero.
Result<Duration> positiveDuration(std::string_view flag, const std::string& text) {
  auto d = parseDuration(text);
  if (!d)
    return Error{"--" + std::string(flag) + " " + text + ": " + d.error() +
                 "; write a Go duration such as 90m or 4h"};
  if (d->count() <= 0)
    return Error{"--" + std::string(flag) + " " + text + ": must be positive, e.g. 90m or 4h"};
  return *d;
}

std::string sanitize(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  return out;
}

}  // namespace

const CommandSpec& sessionOpenSpec() {
  static const CommandSpec spec{
      "sessiongatectl session open --profile P [--gateway G] [--ttl D] [--name N] [--keep] [--kubeconfig "
      "FILE]",
      "Creates a UserSession for the user of the kubeconfig (as the API server identifies them), prints its\n"
      "status changes as JSON lines on stdout, and deletes it when stdin closes or on SIGTERM, SIGHUP or\n"
      "SIGINT, waiting until it is gone. Lines read from stdin are ignored. Behind websocketd, a WebSocket\n"
      "connection is a session. Exit codes: 0 the session ended (deleted, kept or removed by the cluster),\n"
      "1 the API server or the admission webhook refused the session (its message on stderr), 2 bad flags\n"
      "or kubeconfig, 3 the cluster could not be reached or the session was not gone within "
      "--delete-timeout.",
      {
          {"profile", "P", "profile of the SessionPolicy in force", true, ""},
          {"gateway", "G", "gateway of the profile, or none (default: the profile's defaultGateway)", false,
           ""},
          {"ttl", "D", "lifetime as a Go duration, e.g. 4h (default: the profile's defaultTTL)", false, ""},
          {"name", "N", "session name, a DNS label of at most 58 characters (default: generated, unique)",
           false, ""},
          {"keep", "", "leave the session in place when the command ends", false, "", true},
          {"delete-timeout", "D", "how long to wait for the session to be gone after deleting it", false,
           "2m"},
          {"kubeconfig", "FILE", "kubeconfig (default: $KUBECONFIG, in-cluster, ~/.kube/config)", false, ""},
          {"context", "NAME", "kubeconfig context (default: current-context)", false, ""},
      },
      {}};
  return spec;
}

Result<SessionRequest> sessionRequestFromArgs(const ParsedArgs& args) {
  SessionRequest request;
  request.profile = args.flag("profile").value_or("");  // required, and never empty (core/command_flags)
  if (auto gateway = args.flag("gateway")) request.gateway = *gateway;
  if (auto ttl = args.flag("ttl")) {
    if (auto d = positiveDuration("ttl", *ttl); !d) return Error{d.error()};
    request.ttl = *ttl;
  }
  if (auto name = args.flag("name")) {
    if (name->size() > kMaxSessionNameLength) {
      return Error{"--name " + *name + ": must be no more than " + std::to_string(kMaxSessionNameLength) +
                   " characters, so that the namespace sess-<name> fits in 63"};
    }
    auto problems = dns1123LabelErrors(*name);
    if (!problems.empty()) return Error{"--name " + *name + ": " + problems.front()};
    request.name = *name;
  }
  request.keep = args.isOn("keep");
  auto timeout = positiveDuration("delete-timeout", args.flag("delete-timeout").value_or("2m"));
  if (!timeout) return Error{timeout.error()};
  request.deleteTimeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
  request.kubeconfig = args.flag("kubeconfig").value_or("");
  request.context = args.flag("context").value_or("");
  return request;
}

std::string generateNamePrefix(std::string_view username, std::string_view profile) {
  std::string prefix = sanitize(std::string(username) + "-" + std::string(profile));
  const std::size_t room = kMaxSessionNameLength - kGeneratedSuffixLength - 1;  // the final '-'
  if (prefix.size() > room) prefix.resize(room);
  while (!prefix.empty() && prefix.back() == '-') prefix.pop_back();
  if (prefix.empty()) prefix = "session";
  return prefix + "-";
}

Json sessionManifest(const SessionRequest& request, const std::string& username) {
  Json metadata = Json::object();
  if (request.name) {
    metadata["name"] = *request.name;
  } else {
    metadata["generateName"] = generateNamePrefix(username, request.profile);
  }
  Json spec = {{"user", username}, {"profile", request.profile}};
  if (request.gateway) spec["gateway"] = *request.gateway;
  if (request.ttl) spec["ttl"] = *request.ttl;
  return {{"apiVersion", kApiVersion},
          {"kind", kUserSessionKind},
          {"metadata", metadata},
          {"spec", spec}};
}

}  // namespace sessiongate::cli
