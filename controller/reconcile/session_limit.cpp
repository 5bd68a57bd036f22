#include "controller/reconcile/session_limit.h"

#include <algorithm>
#include <tuple>

namespace sessiongate::controller {

LimitVerdict checkSessionLimit(const std::vector<kube::SharedObject>& sessions, const UserSession& session,
                              int max) {
  LimitVerdict verdict;
  if (max <= 0) return verdict;
  std::vector<std::pair<std::string, std::string>> ranked;  // (creationTimestamp, name)
  bool listed = false;
  for (const kube::SharedObject& object : sessions) {
    UserSession other = parseUserSession(*object).session;
    if (other.spec.user != session.spec.user || other.deleting) continue;
    listed = listed || other.name == session.name;
    ranked.emplace_back(other.creationTimestamp, other.name);
  }
  // The cache may not hold the session being reconciled yet; it counts all the same.
  if (!listed && !session.deleting) ranked.emplace_back(session.creationTimestamp, session.name);
  std::sort(ranked.begin(), ranked.end());
  verdict.total = ranked.size();
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    if (i < static_cast<std::size_t>(max)) {
      verdict.withinLimit.push_back(ranked[i].second);
      continue;
    }
    verdict.pastLimit.push_back(ranked[i].second);
    if (ranked[i].second == session.name) verdict.overLimit = true;
  }
  return verdict;
}

std::string overLimitMessage(const UserSession& session, const LimitVerdict& verdict, int max) {
  std::string names;
  for (const std::string& name : verdict.withinLimit) names += (names.empty() ? "" : ", ") + name;
  return session.spec.user + " has " + std::to_string(verdict.total) + " sessions and the policy's " +
         "maxSessionsPerUser is " + std::to_string(max) + ": only the oldest (" + names +
         ") are provisioned and this one gets no namespace; delete it, or delete an older session and it will "
         "be provisioned";
}

}  // namespace sessiongate::controller
