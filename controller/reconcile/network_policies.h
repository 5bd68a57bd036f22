#pragma once
// The session's NetworkPolicies, always the same three so that nothing stale is left behind:
//   default-deny           selects every pod, denies all ingress and egress;
//   allow-egress           DNS to kube-system's kube-dns (UDP and TCP 53) when network.allowDNS, the
//   gateway's
//                          address as a /32 or /128, and every network.egressCIDRs entry;
//   allow-exposed-ingress  ingress from anywhere on the exposed target ports (no rules without exposure).
// A gateway given by DNS name cannot be matched (NetworkPolicies select addresses, not names): its rule is
// left out, the policy says so in the annotation sessiongate.io/gateway-egress, and the admin lists the
// gateway's addresses in network.egressCIDRs.
#include <vector>

#include "controller/reconcile/session_facts.h"
#include "core/api_names.h"
#include "core/json.h"

namespace sessiongate::controller {

// networkPolicyObjects returns default-deny, allow-egress and allow-exposed-ingress, in that order.
std::vector<Json> networkPolicyObjects(const SessionFacts& facts);

}  // namespace sessiongate::controller
