#pragma once
// checkPodSecurity: the Kubernetes Pod Security Standards (baseline and restricted, the "latest" checks of
// kubernetes/pod-security-admission's main branch as read in December 2026: probe and lifecycle hosts from
// v1.34, the safe sysctls up to v1.37's, which a v1.32 kubelet may still refuse itself) applied to one pod,
// with one field error per violation and its path, e.g.
//   spec.containers[0].securityContext.privileged: Forbidden: privileged containers are not allowed ...
// Every container list counts (initContainers, containers, ephemeralContainers); the pod's own
// securityContext and annotations count for every container. Containers and volumes named in
// PodSecurityExemptions (the gateway containers and the drive exactly as injected) skip the container-level
// and volume-type checks; the pod-level checks (the pod's securityContext, and annotations, including those
// that name an exempt container: the mutator injects none) apply to every pod. Pure function, no I/O.
//
// Deliberately stricter than upstream in two places: no relaxation for pods with hostUsers: false (user
// namespaces) and none for spec.os.name windows; session pods run on Linux nodes without user namespaces.
#include <cstddef>
#include <set>
#include <string>
#include <utility>

#include "core/field_error.h"
#include "core/json.h"
#include "core/policy.h"

namespace sessiongate::webhook {

// ContainerRef names one container by its list (initContainers, containers, ephemeralContainers) and index.
using ContainerRef = std::pair<std::string, std::size_t>;

// PodSecurityExemptions are the injected parts the checks leave alone.
struct PodSecurityExemptions {
  std::set<ContainerRef> containers;  // exempt from every container-level check
  std::set<std::size_t> volumes;      // spec.volumes indexes exempt from restricted's volume types
};

// kContainerLists are the pod's container lists, in the order the checks report them.
inline constexpr const char* kContainerLists[] = {"initContainers", "containers", "ephemeralContainers"};

// checkPodSecurity reports every violation of level's standard in pod (a Pod object).
FieldErrors checkPodSecurity(const Json& pod, PodSecurityLevel level,
                             const PodSecurityExemptions& exempt = {});

}  // namespace sessiongate::webhook
