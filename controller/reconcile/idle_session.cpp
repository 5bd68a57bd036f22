// SessionReconciler::endIdle: a running session whose inactivityTimeout passed with every tracker read and no
// connection seen. Phase Idle and Ready False (reason Idle, which finalize keeps and counts), a Normal Event,
// then the session is deleted; its finalizer cleans up as for any deletion.
#include <spdlog/spdlog.h>

#include <utility>

#include "controller/reconcile/session_reconciler.h"

namespace sessiongate::controller {

ReconcileResult SessionReconciler::endIdle(const UserSession& session, StatusReport report,
                                           const std::string& message) {
  report.phase = phase::kIdle;
  report.message = message;
  for (ConditionState& condition : report.conditions) {
    if (condition.type == condition::kReady) condition = {condition::kReady, false, "Idle", message};
  }
  if (auto error = writeStatus(session, report)) return {*error, {}};
  events_.normal(session, reason::kIdle, message);
  spdlog::info("usersession {}: {}", session.name, message);
  auto removed = client_.remove(kube::resources::kUserSessions, "", session.name);
  if (!removed && !removed.error().notFound())
    return {"deleting idle session: " + removed.error().describe(), {}};
  return {};
}

}  // namespace sessiongate::controller
