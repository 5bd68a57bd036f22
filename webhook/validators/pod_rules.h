#pragma once
// The rules of a session pod, each a plain function of the pod (as JSON) and its session, returning every
// violation with its field path. validatePod (pod.cpp) runs them; pod_security.h has the Pod Security
// Standards. Depends on core/, webhook/admission and webhook/injected only.
#include <set>

#include "core/field_error.h"
#include "core/json.h"
#include "webhook/admission/session_context.h"
#include "webhook/validators/pod_security.h"

namespace sessiongate::webhook {

// InjectedPartsCheck is the outcome of checkInjectedParts: the violations, and the containers and volumes
// that are exactly as injected (exempt from the Pod Security Standards and the image rule).
struct InjectedPartsCheck {
  FieldErrors errors;
  PodSecurityExemptions exempt;
  // refused are containers already refused for taking a gateway container's name or form; the other rules
  // skip them, since whatever else is wrong with them would only repeat the refusal.
  std::set<ContainerRef> refused;
};

// checkInjectedParts refuses what fakes, swaps or enters the injected parts: a container named gateway-init
// or gateway-sidecar that is not exactly what the mutator injects for this session's gateway (same list,
// name, image, command, env, securityContext, restartPolicy; gateway-init the first init container), any
// other container or ephemeral container whose name takes the form of a gateway container's, an ephemeral
// container targeting one, a pod with no application container, a volume named like mydrive that is not
// exactly the owner's drive, any other NFS volume, and, with a gateway, nameservers other than the gateway's,
// a dnsPolicy other than None when the gateway has DNS servers, shareProcessNamespace, hostAliases naming
// the gateway's address and an ndots DNS option.
InjectedPartsCheck checkInjectedParts(const Json& pod, const SessionContext& context);

// checkImages requires every container image but the exempt ones to be the profile's image, the session's
// spec.image, or to match one of the profile's allowedImages globs.
FieldErrors checkImages(const Json& pod, const SessionContext& context, const std::set<ContainerRef>& exempt);

// checkPodUpdate compares an UPDATE's pod with the stored one: no change of sessiongate.io/* labels and
// annotations, of any container's image, or of the gateway containers. Needs no session, so it holds even
// while the session is unknown.
FieldErrors checkPodUpdate(const Json& pod, const Json& old);

}  // namespace sessiongate::webhook
