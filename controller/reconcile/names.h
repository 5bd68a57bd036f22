#pragma once
// The names of the objects the controller makes for a session; their labels and annotations are in
// core/api_names.h.
#include <string>
#include <string_view>

#include "core/api_names.h"
#include "core/label_value.h"

namespace sessiongate::controller {

// Names of the children inside the session namespace.
inline constexpr const char* kQuotaName = "session-quota";
inline constexpr const char* kLimitRangeName = "session-limits";
inline constexpr const char* kRoleBindingName = "sessiongate-user";
// kSessionUserRole is the shipped ClusterRole (manifests/rbac/session-user.yaml) the RoleBinding gives the
// owner: workloads, yes; NetworkPolicies, quotas, RBAC, impersonation, tokens and namespaces, no.
inline constexpr const char* kSessionUserRole = "sessiongate:session-user";
inline constexpr const char* kWorkerPodName = "worker";
inline constexpr const char* kServiceName = "public";
inline constexpr const char* kDenyAllPolicy = "default-deny";
inline constexpr const char* kEgressPolicy = "allow-egress";
inline constexpr const char* kIngressPolicy = "allow-exposed-ingress";

// namespaceFor is the session's namespace, sess-<name>.
std::string namespaceFor(std::string_view session);

}  // namespace sessiongate::controller
