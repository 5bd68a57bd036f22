#include "controller/reconcile/events.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <utility>

#include "core/api_names.h"

namespace sessiongate::controller {

Json eventObject(const UserSession& session, const std::string& type, const std::string& reason,
                 const std::string& message, WallTime now, const std::string& name,
                 const std::string& instance) {
  std::string at = formatTimestamp(now);
  return {
      {"apiVersion", "v1"},
      {"kind", "Event"},
      {"metadata", {{"name", name}, {"namespace", kEventNamespace}}},
      {"involvedObject",
       {{"apiVersion", kApiVersion},
        {"kind", kUserSessionKind},
        {"name", session.name},
        {"uid", session.uid}}},
      {"type", type},
      {"reason", reason},
      {"message", message},
      {"source", {{"component", "sessiongate-controller"}}},
      {"reportingComponent", "sessiongate-controller"},
      {"reportingInstance", instance},
      {"firstTimestamp", at},
      {"lastTimestamp", at},
      {"count", 1},
  };
}

EventRecorder::EventRecorder(ClusterClient& client, const Clock& clock, std::string instance)
    : client_(client), clock_(clock), instance_(std::move(instance)) {}

void EventRecorder::normal(const UserSession& session, const std::string& reason,
                           const std::string& message) {
  record(session, "Normal", reason, message);
}

void EventRecorder::warning(const UserSession& session, const std::string& reason,
                            const std::string& message) {
  record(session, "Warning", reason, message);
}

void EventRecorder::record(const UserSession& session, const std::string& type, const std::string& reason,
                           const std::string& message) {
  static std::atomic<unsigned> sequence{0};
  WallTime now = clock_.wallNow();
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  char suffix[40];
  std::snprintf(suffix, sizeof suffix, ".%llx%x", static_cast<unsigned long long>(nanos), sequence++ & 0xfff);
  auto created =
      client_.create(kube::resources::kEvents, kEventNamespace,
                     eventObject(session, type, reason, message, now, session.name + suffix, instance_));
  if (!created) {
    spdlog::warn("could not record event {} for usersession {}: {}", reason, session.name,
                 created.error().describe());
  }
}

}  // namespace sessiongate::controller
