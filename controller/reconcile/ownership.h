#pragma once
// Whether namespace sess-<name> is this session's: the controller writes the session's uid into the
// sessiongate.io/owner-uid annotation of every namespace it creates, and never adopts one without it (made by
// hand, by another tool, or for an earlier session of the same name). Pure logic.
#include <string>

#include "core/json.h"
#include "core/user_session.h"

namespace sessiongate::controller {

// NamespaceOwner says whose a namespace is.
enum class NamespaceOwner { Absent, Ours, Foreign };

// namespaceOwner: Absent for a null object, Ours when its owner-uid annotation is the session's uid,
// Foreign otherwise.
NamespaceOwner namespaceOwner(const Json& ns, const UserSession& session);

// foreignNamespaceMessage tells the user why the session stays in Error and what to do.
std::string foreignNamespaceMessage(const Json& ns, const UserSession& session);

}  // namespace sessiongate::controller
