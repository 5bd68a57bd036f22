#pragma once
// decideIdleness is the inactivity rule of one session at one moment, pure (now is an argument, so tests
// use fixed times): a session is idle once inactivityTimeout has passed since its latest activity (its
// creation counts as activity); a warning lead time before that it is IdleSoon; it is never ended while
// a tracker cannot be read (no data is not inactivity) or when an annotation opts it out. status.lastActivity
// is written only when it moved by at least the write interval, not once per connection.
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "controller/inactivity/session_activity.h"
#include "core/api_names.h"

namespace sessiongate::controller {

// IdleAction is what the reconcile does about idleness.
enum class IdleAction {
  Active,    // nothing to do before recheckAfter
  IdleSoon,  // warn (Event, condition IdleSoon) that the session ends at idleAt
  EndIdle,   // phase Idle, then delete the session
  NoData,    // would warn or end, but a tracker could not be read: keep it and say so in the status
  OptedOut,  // the annotation disables idle shutdown
  Disabled,  // inactivityTimeout is 0
};

// idleActionName is "Active", "IdleSoon", ... for logs and tests.
const char* idleActionName(IdleAction action);

// IdleSettings are the controller's flags and the session's timeout.
struct IdleSettings {
  std::chrono::nanoseconds inactivityTimeout{0};
  std::chrono::nanoseconds warningLead{std::chrono::minutes(10)};
  std::chrono::nanoseconds lastActivityWriteInterval{std::chrono::minutes(1)};
  std::chrono::nanoseconds noDataRetry{std::chrono::seconds(30)};  // look again while a tracker is unreadable
};

// IdleInputs are what the reconcile knows.
struct IdleInputs {
  tracker::WallTime created;
  std::optional<tracker::WallTime> storedLastActivity;  // status.lastActivity
  ObservedActivity observed;
  bool optedOut = false;
};

// IdleDecision is the outcome.
struct IdleDecision {
  IdleAction action = IdleAction::Active;
  std::optional<tracker::WallTime> writeLastActivity;  // set status.lastActivity to this
  tracker::WallTime lastActivity;                      // the latest activity known (creation at least)
  std::optional<tracker::WallTime> idleAt;             // when the session ends if nothing happens
  std::string message;                                 // for the IdleSoon condition, the Event or the status
  std::optional<std::chrono::nanoseconds> recheckAfter;
};

// decideIdleness applies the rule.
IdleDecision decideIdleness(const IdleSettings& settings, const IdleInputs& inputs, tracker::WallTime now);

// optedOut reads the annotation from the session's and its namespace's annotations.
bool optedOut(const std::map<std::string, std::string>& sessionAnnotations,
              const std::map<std::string, std::string>& namespaceAnnotations);

}  // namespace sessiongate::controller
