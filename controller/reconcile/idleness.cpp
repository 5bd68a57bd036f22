#include "controller/reconcile/idleness.h"

#include <utility>

namespace sessiongate::controller {

namespace {

std::optional<IpAddress> address(const Json& text) {
  if (!text.is_string()) return std::nullopt;
  auto parsed = IpAddress::parse(text.get<std::string>());
  if (!parsed) return std::nullopt;
  return *parsed;
}

}  // namespace

SessionEndpoints sessionEndpoints(const Json* workerPod,
                                  const std::optional<PublicExposureStatus>& exposure) {
  SessionEndpoints endpoints;
  if (workerPod && workerPod->is_object() && workerPod->contains("status") &&
      (*workerPod)["status"].is_object()) {
    const Json& status = (*workerPod)["status"];
    if (status.contains("podIPs") && status["podIPs"].is_array()) {
      for (const Json& entry : status["podIPs"]) {
        if (!entry.is_object() || !entry.contains("ip")) continue;
        if (auto ip = address(entry["ip"])) endpoints.podIps.push_back(*ip);
      }
    }
    if (endpoints.podIps.empty() && status.contains("podIP")) {
      if (auto ip = address(status["podIP"])) endpoints.podIps.push_back(*ip);
    }
  }
  if (exposure && exposure->externalIP) {
    if (auto ip = address(Json(*exposure->externalIP))) {
      for (const AllocatedPort& port : exposure->ports) {
        if (port.protocol != "TCP" || port.port <= 0 || port.port > 65535) continue;
        endpoints.exposed.emplace_back(*ip, static_cast<std::uint16_t>(port.port));
      }
    }
  }
  return endpoints;
}

IdleOutcome assessIdleness(const IdleSettings& settings, const Json& storedStatus, WallTime created,
                           const ObservedActivity& observed, bool optedOut, WallTime now) {
  IdleInputs inputs;
  inputs.created = created;
  if (storedStatus.is_object() && storedStatus.contains("lastActivity") &&
      storedStatus["lastActivity"].is_string())
    inputs.storedLastActivity = parseTimestamp(storedStatus["lastActivity"].get<std::string>());
  inputs.observed = observed;
  inputs.optedOut = optedOut;
  IdleDecision decision = decideIdleness(settings, inputs, now);

  IdleOutcome outcome;
  outcome.action = decision.action;
  outcome.message = decision.message;
  const auto stored = storedCondition(storedStatus, condition::kIdleSoon);
  // A condition the session never had is only added when there is something to say; one it had is kept
  // and turned False with the reason, so that kubectl shows the warning is over.
  auto onlyIfStored = [&](const char* reason, std::string message) -> std::optional<ConditionState> {
    if (!stored) return std::nullopt;
    return ConditionState{condition::kIdleSoon, false, reason, std::move(message)};
  };
  switch (decision.action) {
    case IdleAction::Active:
      outcome.idleSoon = onlyIfStored(idle_reason::kActive, "connections to the session were seen recently");
      break;
    case IdleAction::IdleSoon:
      outcome.idleSoon =
          ConditionState{condition::kIdleSoon, true, idle_reason::kNoRecentActivity, decision.message};
      outcome.warn = !stored || !stored->status || stored->reason != idle_reason::kNoRecentActivity;
      break;
    case IdleAction::EndIdle:
      outcome.idleSoon = ConditionState{condition::kIdleSoon, true, idle_reason::kIdle, decision.message};
      break;
    case IdleAction::NoData:
      outcome.idleSoon =
          ConditionState{condition::kIdleSoon, false, idle_reason::kActivityUnknown, decision.message};
      break;
    case IdleAction::OptedOut:
      outcome.idleSoon = onlyIfStored(idle_reason::kOptedOut, decision.message);
      break;
    case IdleAction::Disabled:
      outcome.idleSoon = onlyIfStored(idle_reason::kDisabled, decision.message);
      break;
  }
  // status.lastActivity moves when it moved by the write interval, or along with a condition change (the
  // status is written then anyway).
  std::optional<WallTime> write = decision.writeLastActivity;
  const bool conditionChanges = outcome.idleSoon && (!stored || stored->status != outcome.idleSoon->status ||
                                                     stored->reason != outcome.idleSoon->reason ||
                                                     stored->message != outcome.idleSoon->message);
  if (!write && conditionChanges && observed.latest &&
      (!inputs.storedLastActivity || *observed.latest > *inputs.storedLastActivity))
    write = observed.latest;
  if (write) outcome.lastActivity = formatTimestamp(*write);
  if (decision.recheckAfter) {
    // Half a second past the moment, so that the next look is not a hair too early.
    outcome.recheckAfter = std::chrono::duration_cast<std::chrono::milliseconds>(*decision.recheckAfter) +
                           std::chrono::milliseconds(500);
  }
  return outcome;
}

}  // namespace sessiongate::controller
