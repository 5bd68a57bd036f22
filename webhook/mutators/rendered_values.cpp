#include "webhook/mutators/rendered_values.h"

#include "core/json.h"
#include "webhook/injected/injected_parts.h"

namespace sessiongate::webhook {

RenderedValues::RenderedValues(const SessionPolicy& policy) {
  for (const Gateway& g : policy.gateways) {
    gateways_[g.name] =
        GatewayTexts{gatewayContainer(g, GatewayRole::Init, false).dump(),
                     gatewayContainer(g, GatewayRole::Sidecar, false).dump(),
                     gatewayContainer(g, GatewayRole::Sidecar, true).dump(), Json(g.dnsServers).dump()};
  }
  for (const Profile& p : policy.profiles) {
    Json resources = Json::object();
    ProfileResources& texts = resources_[p.name];
    if (!p.requests.empty()) {
      resources["requests"] = p.requests;
      texts.requests = resources["requests"].dump();
    }
    if (!p.limits.empty()) {
      resources["limits"] = p.limits;
      texts.limits = resources["limits"].dump();
    }
    if (!resources.empty()) texts.whole = resources.dump();
  }
  if (policy.storage) {
    mount_ = driveMount(*policy.storage).dump();
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

const ProfileResources& RenderedValues::resources(std::string_view profile) const {
  auto it = resources_.find(profile);
  return it == resources_.end() ? none_ : it->second;
}

}  // namespace sessiongate::webhook
