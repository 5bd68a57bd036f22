#pragma once
// Kubernetes Events about a session. UserSessions are cluster-scoped, and the Events of cluster-scoped
// objects live in namespace "default" (as kubectl describe looks for them there), with the session as
// involvedObject. Recording is best effort: a failed Event never fails a reconcile.
#include <functional>
#include <string>

#include "controller/reconcile/cluster_client.h"
#include "core/timestamps.h"
#include "core/json.h"
#include "core/user_session.h"

namespace sessiongate::controller {

// Reasons of the Events the controller records.
namespace reason {
inline constexpr const char* kProvisioned = "Provisioned";
// kReady: the worker pod is Ready (and the address announced, if exposed). A worker that cannot start is a
// Warning with the WorkerReady reason (worker_status.h: ImagePullFailed, CrashLoopBackOff, ...).
inline constexpr const char* kReady = "Ready";
inline constexpr const char* kExposureAllocated = "ExposureAllocated";
inline constexpr const char* kExposureFailed = "ExposureFailed";
inline constexpr const char* kExpired = "Expired";
// kIdleSoon (Warning): no activity seen, the session ends at the lead time's end unless used; kIdle (Normal):
// inactivityTimeout passed without activity, the session is being deleted.
inline constexpr const char* kIdleSoon = "IdleSoon";
inline constexpr const char* kIdle = "Idle";
inline constexpr const char* kDriftRepaired = "DriftRepaired";
inline constexpr const char* kProfileMissing = "ProfileMissing";
inline constexpr const char* kNamespaceNotOwned = "NamespaceNotOwned";
inline constexpr const char* kSessionLimitExceeded = "SessionLimitExceeded";
}  // namespace reason

// kEventNamespace holds the Events of cluster-scoped objects.
inline constexpr const char* kEventNamespace = "default";

// eventObject is a core/v1 Event; name must be unique (the recorder derives it from the session and time).
Json eventObject(const UserSession& session, const std::string& type, const std::string& reason,
                 const std::string& message, WallTime now, const std::string& name,
                 const std::string& instance);

// EventRecorder creates Events through a ClusterClient.
class EventRecorder {
 public:
  EventRecorder(ClusterClient& client, const Clock& clock, std::string instance);
  // normal and warning record an Event of that type; failures are logged, not returned.
  void normal(const UserSession& session, const std::string& reason, const std::string& message);
  void warning(const UserSession& session, const std::string& reason, const std::string& message);

 private:
  void record(const UserSession& session, const std::string& type, const std::string& reason,
              const std::string& message);

  ClusterClient& client_;
  const Clock& clock_;
  std::string instance_;
};

}  // namespace sessiongate::controller
