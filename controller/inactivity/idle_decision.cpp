#include "controller/inactivity/idle_decision.h"

#include <algorithm>

#include "core/timestamps.h"
#include "core/duration.h"

namespace sessiongate::controller {

const char* idleActionName(IdleAction action) {
  switch (action) {
    case IdleAction::Active:
      return "Active";
    case IdleAction::IdleSoon:
      return "IdleSoon";
    case IdleAction::EndIdle:
      return "EndIdle";
    case IdleAction::NoData:
      return "NoData";
    case IdleAction::OptedOut:
      return "OptedOut";
    case IdleAction::Disabled:
      return "Disabled";
  }
  return "Active";
}

IdleDecision decideIdleness(const IdleSettings& settings, const IdleInputs& inputs, tracker::WallTime now) {
  IdleDecision decision;
  decision.lastActivity = std::max(inputs.created, inputs.storedLastActivity.value_or(inputs.created));
  if (inputs.observed.latest) {
    decision.lastActivity = std::max(decision.lastActivity, *inputs.observed.latest);
    // Rate limit: a busy session moves lastActivity with every connection; write it only when it moved by
    // the interval (or was never written). The decision below uses the true latest either way.
    if (!inputs.storedLastActivity ||
        *inputs.observed.latest - *inputs.storedLastActivity >= settings.lastActivityWriteInterval)
      decision.writeLastActivity = inputs.observed.latest;
  }
  if (inputs.optedOut) {
    decision.action = IdleAction::OptedOut;
    decision.message = std::string("idle shutdown is disabled by the annotation ") +
                       kIgnoreInactivityAnnotation + ": \"true\"";
    return decision;
  }
  if (settings.inactivityTimeout <= std::chrono::nanoseconds::zero()) {
    decision.action = IdleAction::Disabled;
    decision.message = "the session has no inactivity timeout";
    return decision;
  }
  const auto timeout = std::chrono::duration_cast<tracker::WallTime::duration>(settings.inactivityTimeout);
  const auto lead = std::chrono::duration_cast<tracker::WallTime::duration>(
      std::min(settings.warningLead, settings.inactivityTimeout));
  const tracker::WallTime idleAt = decision.lastActivity + timeout;
  const tracker::WallTime warnAt = idleAt - lead;
  decision.idleAt = idleAt;
  if (now < warnAt) {
    decision.action = IdleAction::Active;
    decision.recheckAfter = warnAt - now;
    return decision;
  }
  const std::string since = "no connection since " + formatTimestamp(decision.lastActivity);
  if (!inputs.observed.complete) {
    decision.action = IdleAction::NoData;
    decision.message = since + " as far as the trackers tell, but activity is unknown (" +
                       inputs.observed.problem + "); the session is not ended while a tracker cannot be read";
    decision.recheckAfter = settings.noDataRetry;
    return decision;
  }
  if (now >= idleAt) {
    decision.action = IdleAction::EndIdle;
    decision.message = since + " (inactivityTimeout " + formatDuration(settings.inactivityTimeout) +
                       "); the idle session is being deleted";
    return decision;
  }
  decision.action = IdleAction::IdleSoon;
  decision.message = since + "; the session ends at " + formatTimestamp(idleAt) +
                     " unless it is used (inactivityTimeout " + formatDuration(settings.inactivityTimeout) +
                     ")";
  decision.recheckAfter = idleAt - now;
  return decision;
}

bool optedOut(const std::map<std::string, std::string>& sessionAnnotations,
              const std::map<std::string, std::string>& namespaceAnnotations) {
  for (const auto* annotations : {&sessionAnnotations, &namespaceAnnotations}) {
    auto it = annotations->find(kIgnoreInactivityAnnotation);
    if (it != annotations->end() && it->second == "true") return true;
  }
  return false;
}

}  // namespace sessiongate::controller
