#include "webhook/admission/session_context.h"

namespace sessiongate::webhook {

std::string noPolicyMessage(std::string_view policyName) {
  const std::string name(policyName);
  return "no SessionPolicy \"" + name + "\" loaded: sessions and session pods are refused until a platform admin "
         "creates the SessionPolicy \"" + name + "\" (kubectl apply -f POLICY.yaml; the webhook's "
         "--policy-name chooses the name), then retry";
}

Decision refusal(const SessionLookup& lookup) {
  return lookup.retryable ? retryLater(lookup.error) : denied(lookup.error);
}

SessionLookup lookupSession(const ClusterView& view, std::string_view ns) {
  SessionLookup out;
  auto info = view.namespaceInfo(ns);
  if (!info) {
    out.sessionNamespace = true;
    out.retryable = true;
    out.error =
        "namespace \"" + std::string(ns) +
        "\" is not known to the sessiongate webhook yet (its cache follows the API server by a watch); "
        "if it is a new session namespace, retry in a few seconds";
    return out;
  }
  auto label = info->labels.find(std::string(kSessionLabel));
  if (label == info->labels.end()) return out;
  out.sessionNamespace = true;
  const std::string& name = label->second;
  out.context.policy = view.policy();
  if (!out.context.policy) {
    out.error = noPolicyMessage(view.policyName());
    return out;
  }
  out.context.session = view.session(name);
  if (!out.context.session) {
    out.retryable = true;
    out.error = "namespace \"" + std::string(ns) + "\" belongs to UserSession \"" + name +
                "\", which the sessiongate webhook does not know: the session is not known yet (or is gone); "
                "pods of a session namespace are admitted only while their session exists, so retry in a few "
                "seconds";
    return out;
  }
  out.context.profile = out.context.policy->profile(out.context.session->spec.profile);
  if (!out.context.profile) {
    out.error = "UserSession \"" + name + "\" uses profile \"" + out.context.session->spec.profile +
                "\", which the SessionPolicy no longer has";
  }
  return out;
}

}  // namespace sessiongate::webhook
