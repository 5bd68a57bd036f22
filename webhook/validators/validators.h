#pragma once
// validators: the validating admission rules of DESIGN.md "Admission rules", one plain function per kind
// of (request, cluster view). Each returns allowed() or a denial listing every violation with its field
// path. Depends on core/, webhook/admission and webhook/injected only (see README.md).
#include <string_view>

#include "core/cluster_view.h"
#include "webhook/admission/decision.h"
#include "webhook/admission/request.h"

namespace sessiongate::webhook {

// validateUserSession checks a UserSession CREATE or UPDATE against the policy, the requester and the
// user's other sessions, and lets only the owner, a policy admin or the controller's service account update
// or DELETE one.
Decision validateUserSession(const AdmissionRequest& request, const ClusterView& view,
                             std::string_view controllerServiceAccount);

// checkPublicExposure reports every problem of spec.publicExposure for a session using profile (a profile
// maxExposedPorts of 0 sets no count limit).
FieldErrors checkPublicExposure(const UserSessionSpec& spec, const Profile& profile,
                                const SessionPolicy& policy);

// validateSessionPolicy rejects a SessionPolicy that does not parse or check cleanly.
Decision validateSessionPolicy(const AdmissionRequest& request);

// validateService keeps addresses and ports outside the pool out of session namespaces: LoadBalancer and
// NodePort Services, externalIPs, loadBalancerIP, load-balancer address annotations, and any change of the
// controller's Service spec, are allowed there only from the controller's account.
Decision validateService(const AdmissionRequest& request, const ClusterView& view,
                         std::string_view controllerServiceAccount);

// validatePod checks a pod in a session namespace on CREATE, UPDATE and pods/ephemeralcontainers: a
// sessiongate.io/gateway label or annotation names a gateway the profile allows; the injected parts are not
// faked, swapped or entered; the profile's Pod Security Standard holds for every container but the gateway
// containers exactly as injected; images are the profile's; on UPDATE, sessiongate.io/* labels and
// annotations, images and the gateway containers stay as they were. A pod whose namespace or session the
// cache does not know yet is refused with a retryable answer.
Decision validatePod(const AdmissionRequest& request, const ClusterView& view);

// validatePodConnect refuses pods/exec and pods/attach (CONNECT) into a gateway container, or without a
// container name, in a session namespace.
Decision validatePodConnect(const AdmissionRequest& request, const ClusterView& view);

}  // namespace sessiongate::webhook
