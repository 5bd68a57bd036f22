// validatePodConnect: nobody enters a gateway container by exec or attach.
#include "webhook/admission/dom.h"
#include "webhook/admission/session_context.h"
#include "webhook/injected/injected_parts.h"
#include "webhook/validators/validators.h"

namespace sessiongate::webhook {

Decision validatePodConnect(const AdmissionRequest& request, const ClusterView& view) {
  if (request.operation != "CONNECT") return allowed();
  if (request.subResource != "exec" && request.subResource != "attach") return allowed();
  // The rule needs no session, so a lookup error does not stop it; only a known plain namespace does.
  if (!lookupSession(view, request.namespace_).sessionNamespace) return allowed();
  std::string_view container =
      request.object ? stringMember(*request.object, "container") : std::string_view();
  const FieldPath path("container");
  const std::string verb = request.subResource;
  if (container.empty()) {
    // The API server would pick the container itself, and the webhook has no copy of the pod to know which.
    return denied(
        FieldErrors{required(path, "name the container to " + verb + " into (kubectl " + verb +
                                       " -c NAME): in a session pod sessiongate has to see that it is "
                                       "not a gateway container")});
  }
  if (looksLikeGatewayContainer(container)) {
    return denied(FieldErrors{forbidden(path, "the gateway container \"" + std::string(container) +
                                                  "\" of a session pod cannot be entered; " + verb +
                                                  " into your own container instead (-c NAME)")});
  }
  return allowed();
}

}  // namespace sessiongate::webhook
