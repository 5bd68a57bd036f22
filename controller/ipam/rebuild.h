#pragma once
// rebuildAllocations reads the cluster's session LoadBalancer Services into an AllocationTable, so that IPAM
// starts from what the cluster holds, never from memory alone. Inconsistencies are reported, not fatal.
#include <string>
#include <vector>

#include "controller/ipam/allocation_table.h"
#include "core/api_names.h"
#include "core/json.h"

namespace sessiongate {

// RebuildResult is the table and what was odd about the cluster.
struct RebuildResult {
  AllocationTable table;
  // conflicts: two Services claiming one address, port and protocol, or one session on two addresses. The
  // older Service (creationTimestamp, then namespace/name) keeps the pair; the other session moves on its
  // next reconcile.
  std::vector<std::string> conflicts;
  // skipped: labelled LoadBalancer Services whose address could not be read; their ports are not counted.
  std::vector<std::string> skipped;
};

// rebuildAllocations takes a ServiceList (or a JSON array of Services) and reads every LoadBalancer Service
// labelled sessiongate.io/session: its address from the ipAnnotation annotation (the first entry of a comma
// separated list), else spec.loadBalancerIP, else status.loadBalancer.ingress[0].ip; its ports from
// spec.ports (protocol defaults to TCP).
RebuildResult rebuildAllocations(const Json& services, const std::string& ipAnnotation);

}  // namespace sessiongate
