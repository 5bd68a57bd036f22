#include "webhook/injected/injected_parts.h"

#include <algorithm>
#include <cctype>

namespace sessiongate::webhook {
namespace {

// pod-gateway's client image runs one of these scripts: routing setup once, then the keep-alive sidecar.
constexpr std::string_view kInitCommand = "/bin/client_init.sh";
constexpr std::string_view kSidecarCommand = "/bin/client_sidecar.sh";

// gatewayResources are small fixed requests and limits: LimitRange defaults are applied before webhooks
// run, so without them a ResourceQuota on cpu or memory would reject the pod.
Json gatewayResources() {
  return {{"requests", {{"cpu", "10m"}, {"memory", "32Mi"}}},
          {"limits", {{"cpu", "100m"}, {"memory", "64Mi"}}}};
}

}  // namespace

Json gatewayContainer(const Gateway& gateway, GatewayRole role, bool native) {
  const bool init = role == GatewayRole::Init;
  Json env = Json::array({{{"name", "gateway"}, {"value", gateway.address}}});
  if (!gateway.dnsServers.empty()) env.push_back({{"name", "DNS"}, {"value", gateway.dnsServers.front()}});
  Json container = {
      {"name", init ? kGatewayInit : kGatewaySidecar},
      {"image", gateway.image},
      {"command", Json::array({init ? kInitCommand : kSidecarCommand})},
      {"env", std::move(env)},
      {"resources", gatewayResources()},
      {"securityContext", {{"capabilities", {{"add", Json::array({"NET_ADMIN", "NET_RAW"})}}}}},
  };
  if (!init && native) container["restartPolicy"] = "Always";
  return container;
}

std::string drivePath(const StorageConfig& storage, std::string_view user) {
  std::string path = storage.pathTemplate;
  for (std::size_t at = path.find("{user}"); at != std::string::npos;
       at = path.find("{user}", at + user.size())) {
    path.replace(at, 6, user);
  }
  return path;
}

Json driveVolume(const StorageConfig& storage, std::string_view user) {
  return {{"name", kDriveVolume},
          {"nfs",
           {{"server", storage.server}, {"path", drivePath(storage, user)}, {"readOnly", storage.readOnly}}}};
}

Json driveMount(const StorageConfig& storage) {
  return {{"name", kDriveVolume}, {"mountPath", storage.mountPath}, {"readOnly", storage.readOnly}};
}

std::string normalizedName(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

bool looksLikeGatewayContainer(std::string_view name) {
  std::string n = normalizedName(name);
  return n.rfind("gatewayinit", 0) == 0 || n.rfind("gatewaysidecar", 0) == 0;
}

bool looksLikeDriveVolume(std::string_view name) {
  return normalizedName(name).rfind("mydrive", 0) == 0;
}

bool profileAllowsGateway(const Profile& profile, std::string_view gateway) {
  if (gateway == "none") return profile.allowNoGateway;
  return std::find(profile.gateways.begin(), profile.gateways.end(), gateway) != profile.gateways.end();
}

const Gateway* chosenGateway(const SessionPolicy& policy, const Profile& profile, const UserSession& session,
                             std::optional<std::string_view> podLabel,
                             std::optional<std::string_view> podAnnotation) {
  std::string_view name;
  if (podLabel && profileAllowsGateway(profile, *podLabel)) {
    name = *podLabel;
  } else if (podAnnotation && profileAllowsGateway(profile, *podAnnotation)) {
    name = *podAnnotation;
  } else if (session.spec.gateway) {
    name = *session.spec.gateway;
  } else {
    name = profile.defaultGateway;
  }
  if (name.empty() || name == "none") return nullptr;
  return policy.gateway(name);
}

bool sessionHasStorage(const SessionPolicy& policy, const Profile& profile, const UserSession& session) {
  return session.spec.storage.value_or(profile.storage) && policy.storage.has_value();
}

}  // namespace sessiongate::webhook
