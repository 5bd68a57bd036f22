#pragma once
// The session's namespace and the RoleBinding that gives its user ClusterRole sessiongate:session-user in it.
#include "controller/reconcile/session_facts.h"
#include "core/json.h"

namespace sessiongate::controller {

// namespaceObject is Namespace sess-<name>, labelled with the session and user and annotated with its owner.
Json namespaceObject(const SessionFacts& facts);
// roleBindingObject is RoleBinding sessiongate-user: ClusterRole sessiongate:session-user for User spec.user in
// the namespace.
Json roleBindingObject(const SessionFacts& facts);
// sessionLabels is {sessiongate.io/session: name, sessiongate.io/user: user}, the labels of every child.
Json sessionLabels(const SessionFacts& facts);

}  // namespace sessiongate::controller
