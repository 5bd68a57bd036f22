#pragma once
// SessionContext is what the pod rules need to know about a session namespace: the session that owns it,
// the policy in force and the session's profile. Shared by the pod validator and the pod mutator.
#include <memory>
#include <string>
#include <string_view>

#include "core/api_names.h"
#include "core/cluster_view.h"
#include "webhook/admission/decision.h"

namespace sessiongate::webhook {

// SessionContext is a session namespace's session, policy and profile.
struct SessionContext {
  std::shared_ptr<const SessionPolicy> policy;
  std::shared_ptr<const UserSession> session;  // the view's, shared read-only
  const Profile* profile = nullptr;             // points into *policy
};

// SessionLookup is the outcome of looking a namespace up: not a session namespace, a context, or an error
// saying which object is missing.
struct SessionLookup {
  bool sessionNamespace = false;
  std::string error;       // non-empty when sessionNamespace but the context is incomplete
  bool retryable = false;  // the error may go away by itself: the cache has not seen an object yet
  SessionContext context;
};

// lookupSession resolves namespace ns: its sessiongate.io/session label, that UserSession, the policy and
// the session's profile. A namespace the view does not know counts as a session namespace whose objects
// the cache has not seen yet (retryable): the pod webhooks are registered for labelled namespaces only, so
// the API server calls them for nothing else, and a pod must never pass without its gateway because the
// watch lagged behind the controller (no fail-open).
SessionLookup lookupSession(const ClusterView& view, std::string_view ns);

// refusal is the decision for a lookup error: retryLater when retryable, else denied.
Decision refusal(const SessionLookup& lookup);

// noPolicyMessage is the denial given to sessions and session pods while the SessionPolicy policyName is not
// loaded. SessionPolicy objects themselves are validated without one, so the first policy can always go in.
std::string noPolicyMessage(std::string_view policyName);

}  // namespace sessiongate::webhook
