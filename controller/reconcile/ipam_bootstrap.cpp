#include "controller/reconcile/ipam_bootstrap.h"

#include <spdlog/spdlog.h>

#include <string>
#include <utility>

#include "controller/ipam/rebuild.h"
#include "core/policy.h"

namespace sessiongate::controller {

bool rebuildIpamFromCluster(const kube::KubeClient& client, const Json* policyObject,
                            IpamAllocator& ipam) {
  std::string ipAnnotation = PublicExposureConfig{}.ipAnnotation;
  if (policyObject) {
    PolicyParse policy = parsePolicy(*policyObject);
    if (policy.policy.publicExposure) {
      ipAnnotation = policy.policy.publicExposure->ipAnnotation;
      if (auto config = IpamConfig::fromPolicy(*policy.policy.publicExposure))
        ipam.setConfig(std::move(*config));
    }
  }
  kube::ListOptions options;
  options.labelSelector = kSessionLabel;
  options.limit = 500;
  auto services = client.listAll(kube::resources::kServices, "", options);
  if (!services) {
    spdlog::error("rebuilding IPAM: listing session Services: {}", services.error().describe());
    return false;
  }
  RebuildResult rebuilt = rebuildAllocations(Json(services->items), ipAnnotation);
  for (const std::string& conflict : rebuilt.conflicts) spdlog::warn("IPAM rebuild: {}", conflict);
  for (const std::string& skipped : rebuilt.skipped) spdlog::warn("IPAM rebuild: skipped {}", skipped);
  spdlog::info("IPAM rebuilt from {} session Services; {} sessions hold addresses", services->items.size(),
               rebuilt.table.sessions().size());
  ipam.reset(std::move(rebuilt.table));
  return true;
}

}  // namespace sessiongate::controller
