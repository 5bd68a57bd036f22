// SessionReconciler::provision: the children, the exposure, and what the cluster says of them. "Ready" means
// running: the session is Ready when its worker pod is Ready and, if it asks for public exposure, the load
// balancer announces its address. Conditions Provisioned, WorkerReady and Exposed say which part is missing;
// a worker that cannot start (image, crash loop, refused create) is phase Error with the reason and a Warning
// Event, once per distinct reason and message, so that a reconcile loop does not flood Events.
#include <spdlog/spdlog.h>

#include <utility>

#include "controller/reconcile/exposure.h"
#include "controller/reconcile/idleness.h"
#include "controller/reconcile/names.h"
#include "controller/reconcile/session_reconciler.h"
#include "core/object_meta.h"
#include "core/json_fields.h"

namespace sessiongate::controller {

namespace {

// changed is true when the stored condition of that type differs in status, reason or message.
bool changed(const Json& stored, const ConditionState& now) {
  auto before = storedCondition(stored, now.type);
  return !before || before->status != now.status || before->reason != now.reason ||
         before->message != now.message;
}

}  // namespace

ReconcileResult SessionReconciler::provision(const SessionFacts& facts, StatusReport report) {
  const UserSession& session = facts.session;
  const bool wasProvisioned = conditionIsTrue(session.status, condition::kProvisioned);
  ChildrenOutcome children = applyChildren(facts, wasProvisioned);
  if (children.notOwned) {
    ReconcileResult failed =
        fail(session, *children.notOwned, reason::kNamespaceNotOwned, /*keepNamespace=*/false);
    if (!failed.error) failed.requeueAfter = options_.blockedRetry;
    return failed;
  }
  if (auto error = children.error) {
    report.phase = phase::kProvisioning;
    report.message = *error;
    report.conditions = {{condition::kProvisioned, false, "ApplyFailed", *error},
                         {condition::kReady, false, "ApplyFailed", *error}};
    writeStatus(session, report);
    return {*error, {}};
  }
  ExposureOutcome exposure = reconcileExposure(
      facts, client_, cache_, ipam_, {applied_, options_.clock->wallNow(), options_.cacheAllowance});
  if (exposure.apiError) {
    std::string error = "exposing the session: " + exposure.apiError->describe();
    report.phase = phase::kProvisioning;
    report.message = error;
    report.conditions = {{condition::kProvisioned, true, "Applied", "every child object is applied"},
                         {condition::kExposed, false, "ServiceFailed", error},
                         {condition::kReady, false, "ServiceFailed", error}};
    writeStatus(session, report);
    return {error, {}};
  }
  report.publicExposure = exposure.status;

  const auto workerPod = cache_.find(kube::resources::kPods, facts.ns, kWorkerPodName);
  WorkerAssessment worker = children.workerRefused
                                ? assessRefusedWorker(*children.workerRefused, facts.ns, kWorkerPodName)
                                : assessWorkerPod(workerPod.get(), facts.ns, kWorkerPodName);
  ConditionState exposed = exposedCondition(exposure);
  const bool exposureRequested = exposure.status.has_value();
  const bool exposureFailed = exposureRequested && exposure.status->phase == exposure_phase::kError;

  ConditionState ready{condition::kReady, false, "", ""};
  if (exposureFailed) {
    report.phase = phase::kError;
    report.message = "public exposure failed: " + exposure.status->message;
    ready.reason = "ExposureFailed";
  } else if (worker.failed) {
    report.phase = phase::kError;
    report.message = worker.condition.message;
    ready.reason = "WorkerFailed";
  } else if (!worker.condition.status) {
    report.phase = phase::kProvisioning;
    report.message = worker.condition.message;
    ready.reason = "WorkerNotReady";
  } else if (exposureRequested && !exposed.status) {
    report.phase = phase::kProvisioning;
    report.message = exposed.message;
    ready.reason = "NotExposed";
  } else {
    report.phase = phase::kReady;
    report.message = "session is running in namespace " + facts.ns;
    ready = {condition::kReady, true, "Running", report.message};
  }
  if (!ready.status) ready.message = report.message;
  report.conditions = {
      {condition::kProvisioned, true, "Applied", "namespace " + facts.ns + " and its objects are in place"},
      worker.condition,
      exposed,
      ready};

  // A session provisioned and allocated in one pass gets one Event saying both (one request, not two); an
  // allocation made later (a changed request, an address given back) gets its own.
  if (!wasProvisioned) {
    std::string message = "namespace " + facts.ns + " and its objects are ready";
    if (exposure.allocated) message += "; allocated " + exposure.allocation;
    events_.normal(session, reason::kProvisioned, message);
  } else if (exposure.allocated) {
    events_.normal(session, reason::kExposureAllocated, "allocated " + exposure.allocation);
  }
  if (exposureFailed && changed(session.status, exposed))
    events_.warning(session, reason::kExposureFailed, exposure.status->message);
  if (worker.failed && changed(session.status, worker.condition)) {
    events_.warning(session, worker.condition.reason, worker.condition.message);
    spdlog::warn("usersession {}: {}", session.name, worker.condition.message);
  }
  // Inactivity: only a running session can be idle (one still starting has had no chance to be used).
  std::optional<IdleOutcome> idle;
  if (ready.status) {
    IdleSettings settings = options_.idle;
    settings.inactivityTimeout = facts.inactivityTimeout;
    std::map<std::string, std::string> namespaceAnnotations;
    if (auto ns = cache_.find(kube::resources::kNamespaces, "", facts.ns)) {
      for (const auto& [key, value] : metaOf(*ns).annotations().items())
        if (value.is_string()) namespaceAnnotations[key] = value.get<std::string>();
    }
    const bool optOut = optedOut(facts.annotations, namespaceAnnotations);
    ObservedActivity observed;
    // Opted out or without a timeout, the trackers are not asked.
    if (!optOut && settings.inactivityTimeout.count() > 0) {
      std::vector<TrackerReading> readings =
          options_.activity ? options_.activity() : std::vector<TrackerReading>{};
      observed = observeActivity(sessionEndpoints(workerPod.get(), report.publicExposure), readings);
    }
    const WallTime created = parseTimestamp(session.creationTimestamp).value_or(options_.clock->wallNow());
    idle = assessIdleness(settings, session.status, created, observed, optOut, options_.clock->wallNow());
    if (idle->idleSoon) report.conditions.push_back(*idle->idleSoon);
    report.lastActivity = idle->lastActivity;
    if (idle->action == IdleAction::EndIdle) {
      if (!wasProvisioned)
        events_.normal(session, reason::kProvisioned, "namespace " + facts.ns + " and its objects are ready");
      return endIdle(session, std::move(report), idle->message);
    }
    if (idle->action == IdleAction::NoData && changed(session.status, *idle->idleSoon))
      spdlog::warn("usersession {}: {}", session.name, idle->message);
  }

  if (ready.status && !conditionIsTrue(session.status, condition::kReady))
    events_.normal(session, reason::kReady, ready.message);
  if (idle && idle->warn) events_.warning(session, reason::kIdleSoon, idle->message);
  if (auto error = writeStatus(session, report)) return {*error, {}};
  // A request that fits nowhere may fit once another session lets go of its address: look again.
  if (exposureFailed) return {{}, options_.exposureRetry};
  // A refused create is retried now and then: a quota may free up, an admission rule may change.
  if (children.workerRefused) return {{}, options_.refusedWorkerRetry};
  // The next moment the inactivity rule can change its mind: the warning, the end, a tracker retry.
  if (idle && idle->recheckAfter) return {{}, *idle->recheckAfter};
  // A child still on its way to the cache: its informer event comes first; this is the net if it never does.
  if (children.awaitingCache || exposure.awaitingCache) return {{}, options_.cacheAllowance};
  return {};
}

}  // namespace sessiongate::controller
