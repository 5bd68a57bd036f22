#pragma once
// ClusterState puts the real cluster into the state a policy case describes (its policy and `objects`) and
// takes away what the previous case left: UserSessions, session namespaces, the pods and services a case
// created, extra SessionPolicies and the per-case RBAC grants.
#include <filesystem>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "cli/test_case.h"
#include "core/json.h"
#include "core/result.h"
#include "tests/e2e/process.h"

namespace sessiongate::e2e {

// ClusterState acts as admin (system:masters) and, for UserSessions, as carol of sessiongate:admins: the
// admission webhook checks every session, and only an adminGroups member may create one for another user.
class ClusterState {
 public:
  ClusterState(Kubectl admin, Kubectl sessionAdmin)
      : admin_(std::move(admin)), sessionAdmin_(std::move(sessionAdmin)) {}

  // installSiteRbac binds sessiongate:admin to group sessiongate:admins (what a site does for its admins) and
  // adds the e2e-only ClusterRole that lets a case's requester update UserSessions.
  Result<bool> installSiteRbac();

  // prepare removes what the previous case left, then applies testCase's policy (as SessionPolicy
  // "default"), its namespaces, its objects, the oldObject of an UPDATE or DELETE, and the RBAC the request
  // needs to reach admission at all (see grantRequester).
  Result<bool> prepare(const cli::TestCase& testCase);

  // remember records an object the case's request created, so the next prepare deletes it.
  void remember(const Json& object);

  // cleanUp removes everything this runner created (at the end of the run).
  void cleanUp();

 private:
  Result<bool> removeLeftovers(const std::set<std::string>& keepNamespaces);
  Result<bool> usePolicy(const std::filesystem::path& policyFile);
  Result<bool> applyNamespace(const Json& ns);
  Result<bool> createObject(const Json& object);
  Result<bool> grantRequester(const cli::TestCase& testCase);

  Kubectl admin_;
  Kubectl sessionAdmin_;
  std::filesystem::path policyInForce_;
  std::set<std::string> namespaces_;
  std::set<std::string> extraPolicies_;
  std::set<std::string> finalizedSessions_;
  std::set<std::tuple<std::string, std::string, std::string>> namespaced_;  // kind, namespace, name
  std::set<std::string> requesterBindings_;                                 // namespace, or "" for cluster
  std::set<std::string> ephemeralGrants_;                                   // namespaces
};

// stripServerFields is object without what only the server sets (uid, resourceVersion, generation,
// creationTimestamp, deletionTimestamp, managedFields, status), ready to create.
Json stripServerFields(Json object);

}  // namespace sessiongate::e2e
