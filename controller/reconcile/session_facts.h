#pragma once
// SessionFacts is what every child builder needs to know about one session: the parsed session, the policy
// in force and the session's resolved profile and gateway.
#include <map>
#include <string>

#include "core/policy.h"
#include "core/user_session.h"

namespace sessiongate::controller {

// SessionFacts holds references into objects the reconciler keeps alive for the duration of one reconcile.
struct SessionFacts {
  const UserSession& session;
  const SessionPolicy& policy;
  const Profile& profile;
  std::string gateway;                             // the gateway name in use, or "none"
  std::string ns;                                  // sess-<name>
  std::string userLabel;                           // spec.user as a label value
  Duration inactivityTimeout{0};                   // spec.inactivityTimeout or the profile's maxInactivity
  std::map<std::string, std::string> annotations{};  // the session's metadata.annotations
};

}  // namespace sessiongate::controller
