#pragma once
// validators: the validating admission rules of DESIGN.md "Admission rules", one plain function per kind
// of (request, cluster view). Each returns allowed() or a denial listing every violation with its field
// path. Depends on core/ and webhook/admission only.
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

// validatePod checks that a pod in a session namespace names, by label or annotation, only a gateway the
// session's profile allows.
Decision validatePod(const AdmissionRequest& request, const ClusterView& view);

}  // namespace sessiongate::webhook
