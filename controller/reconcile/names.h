#pragma once
// The names, labels and annotations the controller puts on what it makes for a session, in one place.
#include <string>
#include <string_view>

#include "controller/ipam/rebuild.h"
#include "core/label_value.h"

namespace sessiongate::controller {

// kSessionLabel (sessiongate.io/session) marks every object made for a session; its value is the session.
using sessiongate::kSessionLabel;
// kUserLabel carries the session's owner, sanitised into a label value.
inline constexpr const char* kUserLabel = "sessiongate.io/user";
// kOwnerAnnotation and kOwnerUidAnnotation name the UserSession a namespace belongs to.
inline constexpr const char* kOwnerAnnotation = "sessiongate.io/owner";
inline constexpr const char* kOwnerUidAnnotation = "sessiongate.io/owner-uid";
// kFinalizer keeps a session until its namespace is gone and its address and ports are free.
inline constexpr const char* kFinalizer = "sessiongate.io/cleanup";
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
