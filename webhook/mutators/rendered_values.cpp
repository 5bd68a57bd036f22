#include "webhook/mutators/rendered_values.h"

#include "core/json.h"
#include "webhook/mutators/pod_reader.h"

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

std::string gatewayContainer(const Gateway& gateway, std::string_view name, std::string_view command,
                             bool native) {
  Json env = Json::array({{{"name", "gateway"}, {"value", gateway.address}}});
  if (!gateway.dnsServers.empty()) env.push_back({{"name", "DNS"}, {"value", gateway.dnsServers.front()}});
  Json container = {
      {"name", name},
      {"image", gateway.image},
      {"command", Json::array({command})},
      {"env", std::move(env)},
      {"resources", gatewayResources()},
      {"securityContext", {{"capabilities", {{"add", Json::array({"NET_ADMIN", "NET_RAW"})}}}}},
  };
  if (native) container["restartPolicy"] = "Always";
  return container.dump();
}

}  // namespace

RenderedValues::RenderedValues(const SessionPolicy& policy) {
  for (const Gateway& g : policy.gateways) {
    gateways_[g.name] = GatewayTexts{gatewayContainer(g, "gateway-init", kInitCommand, false),
                                     gatewayContainer(g, "gateway-sidecar", kSidecarCommand, false),
                                     gatewayContainer(g, "gateway-sidecar", kSidecarCommand, true),
                                     Json(g.dnsServers).dump()};
  }
  for (const Profile& p : policy.profiles) {
    Json resources = Json::object();
    if (!p.requests.empty()) resources["requests"] = p.requests;
    if (!p.limits.empty()) resources["limits"] = p.limits;
    resources_[p.name] = resources.empty() ? std::string() : resources.dump();
  }
  if (policy.storage) {
    mount_ = Json{{"name", kDriveVolume},
                  {"mountPath", policy.storage->mountPath},
                  {"readOnly", policy.storage->readOnly}}
                 .dump();
  }
}

const RenderedValues& RenderedValues::forPolicy(const std::shared_ptr<const SessionPolicy>& policy) {
  // Holding the policy keeps its address from being reused by a newer one while it is cached.
  thread_local std::shared_ptr<const SessionPolicy> cachedPolicy;
  thread_local std::unique_ptr<RenderedValues> cached;
  if (!cached || cachedPolicy != policy) {
    cached = std::make_unique<RenderedValues>(*policy);
    cachedPolicy = policy;
  }
  return *cached;
}

const GatewayTexts* RenderedValues::gateway(std::string_view name) const {
  auto it = gateways_.find(name);
  return it == gateways_.end() ? nullptr : &it->second;
}

const std::string& RenderedValues::resources(std::string_view profile) const {
  auto it = resources_.find(profile);
  return it == resources_.end() ? none_ : it->second;
}

}  // namespace sessiongate::webhook
