#pragma once
// RenderedValues is the JSON text of the values a policy makes the pod mutator add (gateway containers,
// nameserver lists, profile resources, the storage mount), rendered once per policy and thread so that
// each review only concatenates text.
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/policy.h"

namespace sessiongate::webhook {

// GatewayTexts is one gateway's rendered containers and nameservers.
struct GatewayTexts {
  std::string init;           // gateway-init
  std::string sidecar;        // gateway-sidecar as a regular container
  std::string nativeSidecar;  // gateway-sidecar as an init container with restartPolicy Always
  std::string nameservers;    // JSON array of dnsServers
};

// ProfileResources is a profile's resources as JSON text; each is empty when the profile does not set it.
struct ProfileResources {
  std::string whole;     // {"requests":..,"limits":..}, for a container without a resources object
  std::string requests;  // the requests map
  std::string limits;    // the limits map
};

// RenderedValues renders a policy's values.
class RenderedValues {
 public:
  explicit RenderedValues(const SessionPolicy& policy);

  // forPolicy is the calling thread's rendering of policy, redone when the policy object changes.
  static const RenderedValues& forPolicy(const std::shared_ptr<const SessionPolicy>& policy);

  // gateway is the named gateway's texts, or null when the policy has no such gateway.
  const GatewayTexts* gateway(std::string_view name) const;
  // resources is the profile's resources, all empty when it sets neither or there is no such profile.
  const ProfileResources& resources(std::string_view profile) const;
  // mount is the storage volumeMount object, empty without a policy storage block.
  const std::string& mount() const { return mount_; }

 private:
  std::map<std::string, GatewayTexts, std::less<>> gateways_;
  std::map<std::string, ProfileResources, std::less<>> resources_;
  std::string mount_;
  ProfileResources none_;
};

}  // namespace sessiongate::webhook
