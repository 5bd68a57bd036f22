#pragma once
// Who may own a UserSession and who may act on one (DESIGN.md "Admission rules"): the owner, a policy admin,
// or the controller's service account; owner names that are service accounts or other system identities,
// and names that are not one safe path segment (the storage pathTemplate puts them in a path).
#include <string>
#include <string_view>

#include "core/field_error.h"
#include "core/policy.h"
#include "webhook/admission/request.h"

namespace sessiongate::webhook {

// kClusterAdminsGroup is Kubernetes' superuser group. Its members can remove the webhook configuration
// anyway; refusing them would only stop cluster clean-up (kubectl delete usersessions --all).
inline constexpr std::string_view kClusterAdminsGroup = "system:masters";

// Requester is who sends a request, with what the ownership rules need to know about them.
struct Requester {
  const UserInfo& user;
  const SessionPolicy* policy;  // null while no policy is loaded: only cluster admins are admins then
  std::string_view controllerServiceAccount;

  // isAdmin: a member of the policy's adminGroups, or a cluster admin (system:masters).
  bool isAdmin() const {
    for (const std::string& g : user.groups) {
      if (g == kClusterAdminsGroup) return true;
    }
    return policy != nullptr && policy->isAdmin(user.groups);
  }
  bool isController() const { return !controllerServiceAccount.empty() && user.username == controllerServiceAccount; }
};

// isSafePathSegment is true for a name that stays one segment when put into a path: 1 to 253 characters
// from letters, digits and . _ - @ : +, starting with a letter or digit (so never "", ".", ".." nor a
// hidden name), with no '/', NUL or anything else.
bool isSafePathSegment(std::string_view name);

// ownerNameErrors reports, on CREATE, an owner that is not a safe path segment, and an owner that is a
// service account or another system: identity unless an admin creates the session.
FieldErrors ownerNameErrors(const std::string& owner, const Requester& requester);

// actingErrors reports a requester who may not `verb` (create, update, delete) a session of owner: only the
// owner, a policy admin or, for update and delete, the controller may.
FieldErrors actingErrors(const std::string& owner, const Requester& requester, const std::string& verb);

}  // namespace sessiongate::webhook
