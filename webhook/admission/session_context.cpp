#include "webhook/admission/session_context.h"

namespace sessiongate::webhook {

std::string noPolicyMessage() {
  return "no SessionPolicy is in force yet (the policy \"default\" is not loaded): create the SessionPolicy, "
         "or check the webhook's policy source and logs, then retry";
}

SessionLookup lookupSession(const ClusterView& view, std::string_view ns) {
  SessionLookup out;
  auto info = view.namespaceInfo(ns);
  if (!info) return out;
  auto label = info->labels.find(std::string(kSessionLabel));
  if (label == info->labels.end()) return out;
  out.sessionNamespace = true;
  const std::string& name = label->second;
  out.context.policy = view.policy();
  if (!out.context.policy) {
    out.error = noPolicyMessage();
    return out;
  }
  auto session = view.session(name);
  if (!session) {
    out.error = "namespace \"" + std::string(ns) + "\" belongs to UserSession \"" + name +
                "\", which does not exist (yet); pods of a session namespace are admitted only while "
                "their session exists";
    return out;
  }
  out.context.session = std::move(*session);
  out.context.profile = out.context.policy->profile(out.context.session.spec.profile);
  if (!out.context.profile) {
    out.error = "UserSession \"" + name + "\" uses profile \"" + out.context.session.spec.profile +
                "\", which the SessionPolicy no longer has";
  }
  return out;
}

}  // namespace sessiongate::webhook
