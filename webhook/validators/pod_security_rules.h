#pragma once
// Internals of checkPodSecurity (pod_security.cpp): JSON readers and the securityContext checks shared by the
// pod level and the container level. Not for use outside pod_security*.cpp.
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_error.h"
#include "core/json.h"
#include "core/json_fields.h"
#include "core/policy.h"
#include "webhook/validators/pod_security.h"

namespace sessiongate::webhook::pss {

// getPath follows keys from obj.
const Json* getPath(const Json& obj, std::initializer_list<std::string_view> keys);
// isTrue is true for a JSON true.
bool isTrue(const Json* value);
// text is a string value, or its JSON text for other types, or "" when absent.
std::string text(const Json* value);
// standard is `(Pod Security Standard "baseline")` for messages.
std::string standard(PodSecurityLevel level);

// ContainerVisit is one container that is not exempt, with its path (spec.containers[0]).
struct ContainerVisit {
  FieldPath path;
  const Json* container = nullptr;
  const Json* securityContext = nullptr;  // null when absent or not an object
};

// visitContainers lists every container of spec's lists except the exempt ones.
std::vector<ContainerVisit> visitContainers(const Json& spec, const std::set<ContainerRef>& exempt);

// baselineSecurityContext checks what both a pod's and a container's securityContext may set: seccomp and
// AppArmor profile types, SELinux options, Windows hostProcess. context may be null.
void baselineSecurityContext(const Json* context, const FieldPath& path, FieldErrors& errors);

// baselineContainer checks one container: the shared securityContext rules plus privileged, added
// capabilities, procMount, hostPorts and probe or lifecycle hosts.
void baselineContainer(const ContainerVisit& c, FieldErrors& errors);

// restrictedPodAndContainers adds restricted's rules: runAsNonRoot, runAsUser 0, allowPrivilegeEscalation,
// capabilities drop ALL / add only NET_BIND_SERVICE, and a seccomp profile set on the pod or every container.
void restrictedPodAndContainers(const Json* podContext, const FieldPath& podPath,
                                const std::vector<ContainerVisit>& containers, FieldErrors& errors);

}  // namespace sessiongate::webhook::pss
