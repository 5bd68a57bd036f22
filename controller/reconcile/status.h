#pragma once
// The session's status, typed: what the reconciler concluded (phase, message, conditions, namespace,
// expiresAt, publicExposure) as structs, rendered into the status object in this one place, and the merge
// patch that brings the stored status there. Condition lastTransitionTime only moves when a condition's
// status changes (Kubernetes condition conventions); lastActivity is written only when the report sets it
// (the inactivity check rate-limits it) and never removed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controller/ipam/allocation.h"
#include "core/timestamps.h"
#include "core/json.h"

namespace sessiongate::controller {

// Phases of status.phase.
namespace phase {
inline constexpr const char* kPending = "Pending";
inline constexpr const char* kProvisioning = "Provisioning";
inline constexpr const char* kReady = "Ready";
inline constexpr const char* kIdle = "Idle";
inline constexpr const char* kExpired = "Expired";
inline constexpr const char* kTerminating = "Terminating";
inline constexpr const char* kError = "Error";
}  // namespace phase

// Types of status.conditions. Ready is True when the worker pod is Ready and, if the session asks for public
// exposure, its address is announced (Provisioned, WorkerReady and Exposed say which part is missing).
namespace condition {
inline constexpr const char* kReady = "Ready";
inline constexpr const char* kProvisioned = "Provisioned";
inline constexpr const char* kWorkerReady = "WorkerReady";
inline constexpr const char* kExposed = "Exposed";
inline constexpr const char* kIdleSoon = "IdleSoon";
}  // namespace condition

// ConditionState is one condition as the reconciler sees it; rendered with type, status "True"/"False",
// reason (CamelCase), message, observedGeneration and lastTransitionTime.
struct ConditionState {
  std::string type;
  bool status = false;
  std::string reason;
  std::string message;
};

// Phases of status.publicExposure.phase.
namespace exposure_phase {
inline constexpr const char* kProvisioning = "Provisioning";  // allocated, not announced yet
inline constexpr const char* kReady = "Ready";                // the load balancer announces the address
inline constexpr const char* kError = "Error";                // nothing could be allocated
}  // namespace exposure_phase

// PublicExposureStatus is status.publicExposure.
struct PublicExposureStatus {
  std::string phase;
  std::string message;
  std::optional<std::string> externalIP;
  std::vector<AllocatedPort> ports;

  bool operator==(const PublicExposureStatus&) const = default;
};

// StatusReport is everything the reconciler has to say about one session.
struct StatusReport {
  std::string phase;
  std::string message;
  std::int64_t generation = 0;
  std::string ns;                                      // empty: not set
  std::optional<std::string> expiresAt;                // metav1.Time text
  std::optional<PublicExposureStatus> publicExposure;  // nullopt: the session is not exposed
  std::vector<ConditionState> conditions;
  std::optional<std::string> lastActivity;  // metav1.Time text; nullopt: keep what is stored
};

// toJson renders status.publicExposure.
Json toJson(const PublicExposureStatus& exposure);
// storedPublicExposure reads status.publicExposure back from a stored status (nullopt when absent or not an
// object); fields of the wrong type are left empty.
std::optional<PublicExposureStatus> storedPublicExposure(const Json& stored);
// storedCondition reads one condition back from a stored status.
std::optional<ConditionState> storedCondition(const Json& stored, const std::string& type);

// desiredStatus renders report on top of the stored status: conditions keep their lastTransitionTime when
// their status did not change, others get now.
Json desiredStatus(const Json& stored, const StatusReport& report, WallTime now);
// statusPatch is the merge patch {"status": {...}} from stored to desired, nulling the owned keys desired
// lacks; null when the two already agree.
Json statusPatch(const Json& stored, const Json& desired);
// conditionIsTrue is true when stored status has condition type with status "True".
bool conditionIsTrue(const Json& stored, const std::string& type);

}  // namespace sessiongate::controller
