#pragma once
// rebuildIpamFromCluster gives a new leader its IPAM state: the pool of the policy in force and the table
// rebuilt from every session Service the API server holds, read directly (not from the cache) so that what a
// previous leader made just before it died counts. Run after the informers synced, before the workers start.
#include <optional>

#include "controller/ipam/ipam_allocator.h"
#include "core/json.h"
#include "core/kube/kube_client.h"

namespace sessiongate::controller {

// rebuildIpamFromCluster returns false (after logging why) when the Services could not be listed; retry.
bool rebuildIpamFromCluster(const kube::KubeClient& client, const Json* policyObject,
                            IpamAllocator& ipam);

}  // namespace sessiongate::controller
