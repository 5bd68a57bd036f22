#include "controller/reconcile/session_reconciler.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "controller/reconcile/exposure.h"
#include "controller/reconcile/finalizer.h"
#include "controller/reconcile/names.h"
#include "controller/reconcile/session_limit.h"
#include "core/duration.h"
#include "core/object_meta.h"

namespace sessiongate::controller {

namespace {

std::string joinErrors(const FieldErrors& errors) {
  std::string out;
  for (const auto& error : errors) {
    if (!out.empty()) out += "; ";
    out += error.message();
  }
  return out;
}

std::string storedMessage(const Json& status) {
  if (status.is_object() && status.contains("message") && status["message"].is_string()) {
    return status["message"].get<std::string>();
  }
  return "";
}

}  // namespace

SessionReconciler::SessionReconciler(ClusterClient& client, const ObjectCache& cache, IpamAllocator& ipam,
                                     EventRecorder& events, ReconcilerOptions options)
    : client_(client), cache_(cache), ipam_(ipam), events_(events), options_(std::move(options)) {}

ReconcileResult SessionReconciler::reconcile(const std::string& name) {
  auto cached = cache_.find(kube::resources::kUserSessions, "", name);
  if (!cached) {
    // Gone for good (the finalizer was removed, or it never had one): nothing may stay allocated to it.
    ipam_.release(name);
    written_.forget(name);
    return {};
  }
  // The cache may not show this controller's last write yet: reason about the freshest version known.
  const kube::SharedObject object = written_.freshest(name, std::move(cached));
  SessionParse parsed = parseUserSession(*object);
  const UserSession& session = parsed.session;
  if (session.deleting) return finalize(*object, session);
  if (!parsed.errors.empty())
    return fail(session, "the session is malformed: " + joinErrors(parsed.errors), "");
  if (!hasFinalizer(*object)) {
    auto added = addFinalizer(client_, *object);
    if (!added) return {"adding finalizer " + std::string(kFinalizer) + ": " + added.error().describe(), {}};
    written_.wrote(session.name, session.resourceVersion, std::move(*added));
  }

  auto policyObject = cache_.find(kube::resources::kSessionPolicies, "", options_.policyName);
  if (!policyObject) {
    return fail(session, "SessionPolicy " + options_.policyName + " does not exist; an admin must create it",
                "");
  }
  const std::shared_ptr<const PolicyParse> policyParse = policyOf(*policyObject);
  const PolicyParse& policy = *policyParse;
  if (!policy.errors.empty()) {
    return fail(session, "SessionPolicy " + options_.policyName + " is invalid: " + joinErrors(policy.errors),
                "");
  }
  const Profile* profile = policy.policy.profile(session.spec.profile);
  if (profile == nullptr) {
    return fail(session,
                "profile " + session.spec.profile + " no longer exists in SessionPolicy " +
                    options_.policyName + "; delete this session and create one with an existing profile",
                reason::kProfileMissing);
  }

  StatusReport report;
  report.generation = session.generation;
  report.ns = namespaceFor(session.name);
  Duration ttl = profile->defaultTTL;
  if (session.spec.ttl) {
    auto parsedTtl = parseDuration(*session.spec.ttl);
    if (!parsedTtl) return fail(session, "spec.ttl: " + parsedTtl.error(), "");
    ttl = *parsedTtl;
  }
  auto created = parseTimestamp(session.creationTimestamp);
  std::optional<WallTime> expiresAt;
  if (created) {
    expiresAt = *created + std::chrono::duration_cast<WallTime::duration>(ttl);
    report.expiresAt = formatTimestamp(*expiresAt);
  }
  WallTime now = options_.clock->wallNow();
  if (expiresAt && now >= *expiresAt) return expire(session, report);
  // After expiry, so that a session over the limit still ends when its ttl runs out.
  // Without a limit the user's sessions are not read: a user with thousands of them would cost every
  // reconcile a decode of each.
  const int maxSessions = policy.policy.maxSessionsPerUser;
  LimitVerdict limit = maxSessions > 0
                           ? checkSessionLimit(cache_.sessionsOf(session.spec.user), session, maxSessions)
                           : LimitVerdict{};
  if (limit.overLimit) return overLimit(session, overLimitMessage(session, limit, maxSessions));
  // This one is within the limit: a newer session provisioned before this one was in the cache (concurrent
  // creates) is past it now and must let go of its namespace without waiting for its next event.
  if (options_.enqueue) {
    for (const std::string& past : limit.pastLimit) options_.enqueue(past);
  }

  Duration inactivityTimeout = profile->maxInactivity;
  if (session.spec.inactivityTimeout) {
    auto parsedTimeout = parseDuration(*session.spec.inactivityTimeout);
    if (!parsedTimeout) return fail(session, "spec.inactivityTimeout: " + parsedTimeout.error(), "");
    inactivityTimeout = *parsedTimeout;
  }

  syncIpamConfig(policy.policy);
  SessionFacts facts{session,           policy.policy,
                     *profile,          session.spec.gateway.value_or(profile->defaultGateway),
                     report.ns,         toLabelValue(session.spec.user),
                     inactivityTimeout, {}};
  for (const auto& [key, value] : metaOf(*object).annotations().items()) {
    if (value.is_string()) facts.annotations[key] = value.get<std::string>();
  }
  ReconcileResult result = provision(facts, std::move(report));
  if (!result.error && expiresAt) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*expiresAt - now) +
                std::chrono::milliseconds(500);
    if (!result.requeueAfter || left < *result.requeueAfter) result.requeueAfter = left;
  }
  return result;
}

ReconcileResult SessionReconciler::finalize(const Json& object, const UserSession& session) {
  if (!hasFinalizer(object)) return {};
  StatusReport report;
  report.phase = phase::kTerminating;
  report.message = "deleting namespace " + namespaceFor(session.name);
  report.generation = session.generation;
  report.ns = namespaceFor(session.name);
  if (session.status.is_object() && session.status.contains("expiresAt")) {
    report.expiresAt = session.status["expiresAt"].get<std::string>();
  }
  // A session the controller ended keeps saying why (Ready reason Expired) while it goes; it is counted once,
  // by the reconcile whose finalizer removal the API server accepted (the patch carries a resourceVersion).
  const auto ready = storedCondition(session.status, condition::kReady);
  const bool expired = ready && ready->reason == "Expired";
  const bool idle = ready && ready->reason == "Idle";
  report.conditions = {
      {condition::kReady, false, expired ? "Expired" : (idle ? "Idle" : "Terminating"), report.message}};
  writeStatus(session, report);
  CleanupOutcome cleanup = cleanUp(session, cache_, client_, ipam_,
                                   {applied_, options_.clock->wallNow(), options_.cacheAllowance});
  if (cleanup.apiError) return {"cleaning up: " + cleanup.apiError->describe(), {}};
  if (!cleanup.done) return {{}, options_.cleanupRecheck};
  applied_.forgetNamespace(namespaceFor(session.name));
  auto removed = removeFinalizer(client_, object);
  if (!removed && !removed.error().notFound())
    return {"removing finalizer: " + removed.error().describe(), {}};
  if (removed && expired && options_.sessionEnded) options_.sessionEnded("expired");
  if (removed && idle && options_.sessionEnded) options_.sessionEnded("idle");
  if (removed)
    written_.wrote(session.name, session.resourceVersion, *removed);  // other finalizers may hold it
  spdlog::info("usersession {} cleaned up: namespace deleted, address and ports released", session.name);
  // A session of the same user held back by maxSessionsPerUser may now be within it.
  enqueueSessionsOf(session.spec.user, session.name);
  return {};
}

ReconcileResult SessionReconciler::expire(const UserSession& session, const StatusReport& base) {
  StatusReport report = base;
  report.phase = phase::kExpired;
  report.message = "the session's ttl ran out at " + base.expiresAt.value_or("?") + "; it is being deleted";
  report.conditions = {{condition::kReady, false, "Expired", report.message}};
  report.publicExposure = storedPublicExposure(session.status);
  if (auto error = writeStatus(session, report)) return {*error, {}};
  events_.normal(session, reason::kExpired, report.message);
  auto removed = client_.remove(kube::resources::kUserSessions, "", session.name);
  if (!removed && !removed.error().notFound())
    return {"deleting expired session: " + removed.error().describe(), {}};
  return {};
}

void SessionReconciler::enqueueSessionsOf(const std::string& user, const std::string& except) {
  if (!options_.enqueue) return;
  for (const kube::SharedObject& other : cache_.sessionsOf(user)) {
    std::string name(metaOf(*other).name());
    if (name != except) options_.enqueue(name);
  }
}

ReconcileResult SessionReconciler::overLimit(const UserSession& session, const std::string& message) {
  // A session may have been provisioned before an older one of the same user showed up in the cache (their
  // creates raced): what it has goes, so that exactly the oldest maxSessionsPerUser hold namespaces.
  CleanupOutcome cleanup = cleanUp(session, cache_, client_, ipam_,
                                   {applied_, options_.clock->wallNow(), options_.cacheAllowance});
  if (cleanup.apiError)
    return {"removing the namespace of a session over the limit: " + cleanup.apiError->describe(), {}};
  applied_.forgetNamespace(namespaceFor(session.name));
  ReconcileResult result = fail(session, message, reason::kSessionLimitExceeded, /*keepNamespace=*/false);
  // Nothing enqueues this session when an older one is deleted: look again now and then.
  if (!result.error) result.requeueAfter = cleanup.done ? options_.blockedRetry : options_.cleanupRecheck;
  return result;
}

ReconcileResult SessionReconciler::fail(const UserSession& session, const std::string& message,
                                        const std::string& eventReason, bool keepNamespace) {
  StatusReport report;
  report.phase = phase::kError;
  report.message = message;
  report.generation = session.generation;
  if (session.status.is_object()) {
    if (keepNamespace && session.status.contains("namespace"))
      report.ns = session.status["namespace"].get<std::string>();
    if (session.status.contains("expiresAt"))
      report.expiresAt = session.status["expiresAt"].get<std::string>();
    if (keepNamespace) report.publicExposure = storedPublicExposure(session.status);
  }
  report.conditions = {{condition::kReady, false, "Error", message}};
  if (!eventReason.empty() && storedMessage(session.status) != message)
    events_.warning(session, eventReason, message);
  spdlog::warn("usersession {}: {}", session.name, message);
  if (auto error = writeStatus(session, report)) return {*error, {}};
  return {};
}

std::optional<std::string> SessionReconciler::writeStatus(const UserSession& session,
                                                          const StatusReport& report) {
  Json desired = desiredStatus(session.status, report, options_.clock->wallNow());
  Json patch = statusPatch(session.status, desired);
  if (patch.is_null()) return std::nullopt;
  auto written = client_.mergePatchStatus(kube::resources::kUserSessions, "", session.name, patch);
  if (written) {
    written_.wrote(session.name, session.resourceVersion, std::move(*written));
    return std::nullopt;
  }
  if (written.error().notFound()) return std::nullopt;
  return "writing status: " + written.error().describe();
}

std::shared_ptr<const PolicyParse> SessionReconciler::policyOf(const Json& object) {
  const std::string version(metaOf(object).resourceVersion());
  std::lock_guard<std::mutex> guard(policyMu_);
  if (!parsedPolicy_ || version.empty() || version != parsedPolicyVersion_) {
    parsedPolicy_ = std::make_shared<const PolicyParse>(parsePolicy(object));
    parsedPolicyVersion_ = version;
  }
  return parsedPolicy_;
}

void SessionReconciler::syncIpamConfig(const SessionPolicy& policy) {
  std::lock_guard<std::mutex> guard(policyMu_);
  if (policy.resourceVersion == ipamPolicyVersion_ && !ipamPolicyVersion_.empty()) return;
  if (!policy.publicExposure) return;
  auto config = IpamConfig::fromPolicy(*policy.publicExposure);
  if (!config) {
    spdlog::error("SessionPolicy {}: publicExposure: {}", policy.name, config.error());
    return;
  }
  ipam_.setConfig(std::move(*config));
  ipamPolicyVersion_ = policy.resourceVersion;
}

}  // namespace sessiongate::controller
