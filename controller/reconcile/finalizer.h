#pragma once
// The sessiongate.io/cleanup finalizer: added before anything is made for a session, removed only once the
// namespace is gone (taking the Service and everything else with it) and IPAM has released the session.
#include <chrono>
#include <optional>

#include "controller/ipam/ipam_allocator.h"
#include "controller/reconcile/applied_records.h"
#include "controller/reconcile/cluster_client.h"
#include "core/timestamps.h"
#include "core/json.h"
#include "core/user_session.h"

namespace sessiongate::controller {

// hasFinalizer is true when the UserSession object lists sessiongate.io/cleanup.
bool hasFinalizer(const Json& session);
// addFinalizer appends the finalizer with a merge patch guarded by the object's resourceVersion (a
// concurrent change makes it a Conflict, retried).
kube::ApiResult<Json> addFinalizer(ClusterClient& client, const Json& session);
// removeFinalizer drops it the same way.
kube::ApiResult<Json> removeFinalizer(ClusterClient& client, const Json& session);

// CleanupOutcome says whether the session's resources are all gone.
struct CleanupOutcome {
  bool done = false;
  std::optional<kube::ApiError> apiError;
};

// CleanupWrites is what cleanUp needs to send each request once: the records of namespace deletions in
// progress, the time, and how long a DELETE may take to show in the cache.
struct CleanupWrites {
  AppliedRecords& records;
  WallTime now;
  std::chrono::milliseconds cacheAllowance;
};

// cleanUp deletes the namespace sess-<name> if it is the session's (owner-uid annotation) and, once the API
// server no longer has it, releases the session's address and ports; until then it answers not done. The
// namespace informer drives it: while the cache holds the namespace nothing more is asked of the API server
// than one DELETE (its watch events, the last one its deletion, bring the session back). A namespace seen
// terminating and then gone from the cache is gone; any other absence is settled by one GET ("gone" or "not
// seen yet") before anything is released. A namespace that is not the session's is left alone and counts as
// gone.
CleanupOutcome cleanUp(const UserSession& session, const ObjectCache& cache, ClusterClient& client,
                       IpamAllocator& ipam, CleanupWrites writes);

}  // namespace sessiongate::controller
