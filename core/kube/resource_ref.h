#pragma once
// ResourceRef addresses one kind of API resource by group, version and plural resource name, the way the REST
// API itself does; paths and query strings for it are built here and nowhere else.
#include <string>
#include <string_view>

#include "core/api_names.h"

namespace sessiongate::kube {

// ResourceRef names a resource: group "" is the core group (/api/v1), anything else lives under /apis.
struct ResourceRef {
  std::string group;     // "", "apps", "sessiongate.io"
  std::string version;   // "v1", "v1alpha1"
  std::string resource;  // plural, lower case: "configmaps", "usersessions"
  bool namespaced = true;

  // collectionPath is /api/v1/namespaces/NS/configmaps, or /api/v1/configmaps across all namespaces when
  // ns is empty; cluster-scoped resources ignore ns.
  std::string collectionPath(std::string_view ns = {}) const;
  // objectPath is collectionPath(ns)/NAME[/SUBRESOURCE], with the name escaped.
  std::string objectPath(std::string_view ns, std::string_view name, std::string_view subresource = {}) const;
  // qualifiedName is "configmaps" or "usersessions.sessiongate.io", as kubectl prints it in errors.
  std::string qualifiedName() const;
};

// Resources used by the project; anything else is one ResourceRef literal away.
namespace resources {
inline const ResourceRef kConfigMaps{"", "v1", "configmaps", true};
inline const ResourceRef kNamespaces{"", "v1", "namespaces", false};
inline const ResourceRef kPods{"", "v1", "pods", true};
inline const ResourceRef kServices{"", "v1", "services", true};
inline const ResourceRef kEvents{"", "v1", "events", true};
inline const ResourceRef kResourceQuotas{"", "v1", "resourcequotas", true};
inline const ResourceRef kLimitRanges{"", "v1", "limitranges", true};
inline const ResourceRef kNetworkPolicies{"networking.k8s.io", "v1", "networkpolicies", true};
inline const ResourceRef kRoleBindings{"rbac.authorization.k8s.io", "v1", "rolebindings", true};
inline const ResourceRef kLeases{"coordination.k8s.io", "v1", "leases", true};
inline const ResourceRef kEndpointSlices{"discovery.k8s.io", "v1", "endpointslices", true};
inline const ResourceRef kUserSessions{kGroup, kVersion, "usersessions", false};
inline const ResourceRef kSessionPolicies{kGroup, kVersion, "sessionpolicies", false};
}  // namespace resources

// escapeComponent percent-escapes everything but RFC 3986 unreserved characters, for path segments and
// query values alike (so '/', '&', '=', '+', ',' and spaces in selectors survive the trip).
std::string escapeComponent(std::string_view s);

}  // namespace sessiongate::kube
