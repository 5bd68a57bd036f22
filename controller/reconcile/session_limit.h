#pragma once
// The controller is the authority on limits.maxSessionsPerUser: the webhook's count is a fast path that a
// burst of concurrent creates can pass together. Among a user's sessions that are not being deleted, the
// oldest `max` by creationTimestamp (name breaks ties) are provisioned; the rest get Error and no namespace.
// Pure logic over the informer's sessions.
#include <string>
#include <vector>

#include "core/json.h"
#include "core/kube/object_store.h"
#include "core/user_session.h"

namespace sessiongate::controller {

// LimitVerdict is where one session stands among its owner's sessions.
struct LimitVerdict {
  bool overLimit = false;
  std::size_t total = 0;                // the owner's sessions that count
  std::vector<std::string> withinLimit;  // names of the oldest `max`, oldest first
  std::vector<std::string> pastLimit;    // the others, oldest first
};

// checkSessionLimit ranks session among sessions (UserSession objects, any owner) for a limit of max
// (max <= 0: no limit).
LimitVerdict checkSessionLimit(const std::vector<kube::SharedObject>& sessions, const UserSession& session, int max);

// overLimitMessage tells the user why the session is not provisioned and what to do.
std::string overLimitMessage(const UserSession& session, const LimitVerdict& verdict, int max);

}  // namespace sessiongate::controller
