#pragma once
// The objects sessiongate-controller makes for one session, built by the controller's own functions
// (namespace.h, quota.h, network_policies.h, worker_pod.h, exposure.h, status.h), so that every peer of the
// controller bench (bench-ceiling's writers and, through --dump-children, the kopf operator in
// bench/kopfpeer/) writes exactly the objects the controller writes: one source of truth for their shape.
#include <optional>
#include <string>
#include <vector>

#include "controller/ipam/ipam_allocator.h"
#include "core/json.h"
#include "core/kube/kube_client.h"
#include "core/policy.h"
#include "core/result.h"
#include "core/timestamps.h"
#include "core/user_session.h"

namespace sessiongate::bench {

// PlannedChild is one object to write and the resource it is written to.
struct PlannedChild {
  const kube::ResourceRef* resource;
  Json object;
};

// ProvisionPlan is what provisioning one session writes.
struct ProvisionPlan {
  UserSession session;
  std::string ns;
  // Namespace, ResourceQuota, LimitRange, NetworkPolicies, RoleBinding, worker Pod: in creation order.
  std::vector<PlannedChild> children;
  // The LoadBalancer Service when the session is exposed; its address and ports are reserved in the IPAM
  // passed to planProvision (the caller commits once the Service is written, or aborts).
  std::optional<Json> service;
  // statusPatch is the merge patch {"status": {...}} the controller writes once every child is applied on a
  // control plane without a node: Provisioned True, the worker pod pending, phase Provisioning.
  Json statusPatch;
};

// planProvision builds the plan for a stored UserSession (its uid and generation feed the builders). The
// error says which session and why (a malformed session, IPAM finding no address or port).
Result<ProvisionPlan> planProvision(const Json& stored, const SessionPolicy& policy, const Profile& profile,
                                    IpamAllocator& ipam, WallTime now);

// planJson renders a plan as one JSON object: {"session", "namespace", "children": [...] (the Service last
// when exposed), "status": {...}} (the body of the status patch).
Json planJson(const ProvisionPlan& plan);

}  // namespace sessiongate::bench
