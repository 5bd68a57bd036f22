#include "webhook/validators/session_owner.h"

#include <cctype>

namespace sessiongate::webhook {
namespace {

const FieldPath kUserPath = FieldPath("spec").child("user");
constexpr std::size_t kMaxOwnerLength = 253;
constexpr std::string_view kServiceAccountPrefix = "system:serviceaccount:";
constexpr std::string_view kSystemPrefix = "system:";

bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string adminGroupsText(const Requester& requester) {
  std::string s = "[";
  if (requester.policy) {
    const auto& groups = requester.policy->adminGroups;
    for (std::size_t i = 0; i < groups.size(); ++i) s += (i ? ", " : "") + groups[i];
  }
  return s + "]";
}

}  // namespace

bool isSafePathSegment(std::string_view name) {
  if (name.empty() || name.size() > kMaxOwnerLength || !isAlnum(name.front())) return false;
  for (char c : name) {
    if (isAlnum(c) || c == '.' || c == '_' || c == '-' || c == '@' || c == ':' || c == '+') continue;
    return false;
  }
  return true;
}

FieldErrors ownerNameErrors(const std::string& owner, const Requester& requester) {
  FieldErrors errors;
  if (owner.empty()) return errors;  // reported as Required by parseUserSession
  if (!isSafePathSegment(owner)) {
    errors.push_back(invalid(kUserPath, owner,
                             "must be usable as one segment of the storage path: 1 to 253 letters, digits and "
                             "'.', '_', '-', '@', ':', '+', starting with a letter or digit (no '/', '..' or "
                             "NUL); ask an admin to map this user to such a name"));
  }
  if (owner.rfind(kSystemPrefix, 0) == 0 && !requester.isAdmin()) {
    std::string what = owner.rfind(kServiceAccountPrefix, 0) == 0 ? "a service account" : "a system identity";
    errors.push_back(forbidden(kUserPath, owner + " is " + what + " and cannot own a session unless a member of "
                                              "adminGroups " + adminGroupsText(requester) +
                                              " creates the session for it"));
  }
  return errors;
}

FieldErrors actingErrors(const std::string& owner, const Requester& requester, const std::string& verb) {
  if (owner.empty() || owner == requester.user.username || requester.isAdmin()) return {};
  if (verb != "create" && requester.isController()) return {};
  return {forbidden(kUserPath, requester.user.username + " may not " + verb + " a session for " + owner +
                                   "; only members of adminGroups " + adminGroupsText(requester) + " may")};
}

}  // namespace sessiongate::webhook
