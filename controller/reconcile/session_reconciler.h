#pragma once
// SessionReconciler is the level-based reconcile of one UserSession: the request is only its name; each call
// reads the session and policy from the cache, applies every child (server-side apply, so an unchanged
// child is a no-op and a child deleted or edited by hand is restored), exposes, writes status and Events, and
// handles the finalizer and expiry. Safe to call from several workers for different names at once.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controller/inactivity/idle_decision.h"
#include "controller/inactivity/session_activity.h"
#include "controller/ipam/ipam_allocator.h"
#include "controller/reconcile/applied_records.h"
#include "controller/reconcile/cluster_client.h"
#include "controller/reconcile/events.h"
#include "controller/reconcile/session_facts.h"
#include "controller/reconcile/status.h"
#include "core/timestamps.h"
#include "controller/reconcile/worker_status.h"
#include "controller/reconcile/written_sessions.h"

namespace sessiongate::controller {

// ReconcileResult tells the worker what to do with the name next.
struct ReconcileResult {
  // error is set when something failed that a retry may fix; the name is requeued with backoff.
  std::optional<std::string> error;
  // requeueAfter asks for another reconcile after this long (expiry, waiting for the namespace to go).
  std::optional<std::chrono::milliseconds> requeueAfter;
};

// ChildrenOutcome is how applying the children went: an API error a retry may fix, a namespace sess-<name>
// that is not the session's (nothing was applied then), or a worker pod the API server refused to create
// (quota, admission, validation; everything else was applied).
struct ChildrenOutcome {
  std::optional<std::string> error;
  std::optional<std::string> notOwned;  // the message for the user
  std::optional<kube::ApiError> workerRefused;
  // awaitingCache: a child created a moment ago is not in the cache yet and was left alone; its informer
  // event brings the session back (the reconcile also looks again after cacheAllowance, in case it never
  // comes).
  bool awaitingCache = false;

  static ChildrenOutcome failed(std::string error) {
    ChildrenOutcome outcome;
    outcome.error = std::move(error);
    return outcome;
  }
  static ChildrenOutcome foreign(std::string message) {
    ChildrenOutcome outcome;
    outcome.notOwned = std::move(message);
    return outcome;
  }
  static ChildrenOutcome refused(kube::ApiError error) {
    ChildrenOutcome outcome;
    outcome.workerRefused = std::move(error);
    return outcome;
  }
};

// ReconcilerOptions are the reconciler's settings and seams.
struct ReconcilerOptions {
  std::string policyName = "default";
  const Clock* clock = &realClock();  // its wall time stamps status and decides expiry and idleness
  // how often to look again at a namespace being deleted; only a safety net: the namespace informer's events
  // (the last one its deletion) bring the session back without it
  std::chrono::milliseconds cleanupRecheck{60000};
  // how long a child the controller created may stay missing from the cache before it counts as deleted
  std::chrono::milliseconds cacheAllowance{30000};
  std::chrono::milliseconds exposureRetry{10000};  // how often to retry an exposure that fit nowhere
  // how often to look again at a session blocked by something no informer event reports (a namespace that
  // is not ours going away, an older session of the same user being deleted)
  std::chrono::milliseconds blockedRetry{30000};
  // how often to look again at a worker pod the API server refused to create (a quota may free up, an
  // admission rule may change without an event the controller watches)
  std::chrono::milliseconds refusedWorkerRetry{30000};
  // enqueue asks for a reconcile of another session (the work queue's add): a user's sessions past
  // maxSessionsPerUser when an older one turns out to be within it, the user's other sessions when one is
  // gone. May be empty (then only blockedRetry brings them back).
  std::function<void(const std::string&)> enqueue;
  // sessionEnded is told, once per session, when a session the controller ended itself is gone (its
  // finalizer removed), with the reason ("expired", "idle"); for the metrics. May be empty.
  std::function<void(const std::string& reason)> sessionEnded;
  // activity is one reading per activity tracker (cached per round, bounded by the reader's timeout). Empty
  // or no readings: activity is unknown, and no session is ended for idleness.
  std::function<std::vector<TrackerReading>()> activity;
  // idle holds the warning lead, the lastActivity write interval and the retry while a tracker is
  // unreadable; inactivityTimeout comes from each session.
  IdleSettings idle{std::chrono::nanoseconds(0), std::chrono::minutes(10), std::chrono::seconds(30),
                    std::chrono::seconds(30)};
};

// SessionReconciler owns no state beyond the IPAM config it last gave the allocator.
class SessionReconciler {
 public:
  SessionReconciler(ClusterClient& client, const ObjectCache& cache, IpamAllocator& ipam,
                    EventRecorder& events, ReconcilerOptions options);

  ReconcileResult reconcile(const std::string& name);

 private:
  ReconcileResult finalize(const Json& object, const UserSession& session);
  ReconcileResult expire(const UserSession& session, const StatusReport& report);
  // endIdle writes phase Idle with an Event and deletes the session (idleness.cpp).
  ReconcileResult endIdle(const UserSession& session, StatusReport report, const std::string& message);
  // provision applies the children and the exposure, reads the worker pod and the Service back, and writes
  // the conditions Provisioned, WorkerReady, Exposed and Ready (provision.cpp).
  ReconcileResult provision(const SessionFacts& facts, StatusReport report);
  // applyChildren applies everything but the Service; stops at the first API error or at a namespace that is
  // not the session's.
  ChildrenOutcome applyChildren(const SessionFacts& facts, bool wasProvisioned);
  // overLimit keeps a session past maxSessionsPerUser without a namespace (removing one it already has).
  ReconcileResult overLimit(const UserSession& session, const std::string& message);
  // enqueueSessionsOf asks for a reconcile of user's sessions other than except.
  void enqueueSessionsOf(const std::string& user, const std::string& except);
  // policyOf is the parse of the cached SessionPolicy object, reused while its resourceVersion is unchanged.
  std::shared_ptr<const PolicyParse> policyOf(const Json& object);
  void syncIpamConfig(const SessionPolicy& policy);
  // fail writes phase Error with message (and a Warning Event with eventReason, once per message);
  // keepNamespace false drops status.namespace (the session has none that is its own).
  ReconcileResult fail(const UserSession& session, const std::string& message, const std::string& eventReason,
                       bool keepNamespace = true);
  std::optional<std::string> writeStatus(const UserSession& session, const StatusReport& report);

  ClusterClient& client_;
  const ObjectCache& cache_;
  IpamAllocator& ipam_;
  EventRecorder& events_;
  ReconcilerOptions options_;
  AppliedRecords applied_;
  WrittenSessions written_;
  std::mutex policyMu_;
  std::string ipamPolicyVersion_;
  // The SessionPolicy parsed once per resourceVersion, shared read-only by every reconcile.
  std::shared_ptr<const PolicyParse> parsedPolicy_;
  std::string parsedPolicyVersion_;
};

}  // namespace sessiongate::controller
