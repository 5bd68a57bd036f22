#pragma once
// What the inactivity rule (controller/inactivity) means for one running session's status: the IdleSoon
// condition, status.lastActivity (rate-limited), whether to warn, whether to end it, when to look again.
// Pure: the trackers' readings, the stored status and now are arguments.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controller/inactivity/idle_decision.h"
#include "controller/reconcile/status.h"
#include "core/json.h"

namespace sessiongate::controller {

// Reasons of the IdleSoon condition.
namespace idle_reason {
inline constexpr const char* kNoRecentActivity = "NoRecentActivity";  // True: ends at the lead's end
inline constexpr const char* kIdle = "Idle";                          // True: ended
inline constexpr const char* kActive = "Active";                      // False: used again
inline constexpr const char* kActivityUnknown = "ActivityUnknown";    // False: a tracker cannot be read
inline constexpr const char* kOptedOut = "OptedOut";                  // False: the annotation opts out
inline constexpr const char* kDisabled = "Disabled";                  // False: no inactivityTimeout
}  // namespace idle_reason

// IdleOutcome is what the reconcile writes and does.
struct IdleOutcome {
  IdleAction action = IdleAction::Active;
  std::optional<ConditionState> idleSoon;   // nullopt: the session never had the condition and needs none
  std::optional<std::string> lastActivity;  // write status.lastActivity (metav1.Time text)
  bool warn = false;                        // first IdleSoon: a Warning Event
  std::string message;
  std::optional<std::chrono::milliseconds> recheckAfter;
};

// sessionEndpoints are the worker pod's IPs (status.podIPs, else status.podIP) and the exposed address's
// TCP ports; text that is not an address is skipped.
SessionEndpoints sessionEndpoints(const Json* workerPod,
                                  const std::optional<PublicExposureStatus>& exposure);

// assessIdleness applies decideIdleness to a running session.
IdleOutcome assessIdleness(const IdleSettings& settings, const Json& storedStatus, WallTime created,
                           const ObservedActivity& observed, bool optedOut, WallTime now);

}  // namespace sessiongate::controller
