#pragma once
// The session's status: what the reconciler concluded (phase, message, conditions, namespace, expiresAt,
// publicExposure) rendered as the status object, and the merge patch that brings the stored status there.
// Condition lastTransitionTime only moves when a condition's status changes; keys the controller does not
// own (lastActivity, written for the tracker) are left alone.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controller/reconcile/timestamps.h"
#include "core/json.h"

namespace sessiongate::controller {

// Phases of status.phase.
namespace phase {
inline constexpr const char* kPending = "Pending";
inline constexpr const char* kProvisioning = "Provisioning";
inline constexpr const char* kReady = "Ready";
inline constexpr const char* kExpired = "Expired";
inline constexpr const char* kTerminating = "Terminating";
inline constexpr const char* kError = "Error";
}  // namespace phase

// ConditionState is one condition as the reconciler sees it.
struct ConditionState {
  std::string type;  // Ready, Provisioned, Exposed
  bool status = false;
  std::string reason;
  std::string message;
};

// StatusReport is everything the reconciler has to say about one session.
struct StatusReport {
  std::string phase;
  std::string message;
  std::int64_t generation = 0;
  std::string ns;                        // empty: not set
  std::optional<std::string> expiresAt;  // metav1.Time text
  Json publicExposure;                   // null: the session is not exposed
  std::vector<ConditionState> conditions;
};

// desiredStatus renders report on top of the stored status: conditions keep their lastTransitionTime when
// their status did not change, others get now.
Json desiredStatus(const Json& stored, const StatusReport& report, WallTime now);
// statusPatch is the merge patch {"status": {...}} from stored to desired, nulling the owned keys desired
// lacks; null when the two already agree.
Json statusPatch(const Json& stored, const Json& desired);
// conditionIsTrue is true when stored status has condition type with status "True".
bool conditionIsTrue(const Json& stored, const std::string& type);

}  // namespace sessiongate::controller
