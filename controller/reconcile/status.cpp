#include "controller/reconcile/status.h"

#include <array>

namespace sessiongate::controller {

namespace {

// kOwnedKeys are the status keys the reconciler writes; anything else in status belongs to someone else.
constexpr std::array<const char*, 7> kOwnedKeys = {
    "phase", "message", "namespace", "observedGeneration", "conditions", "publicExposure", "expiresAt"};

const Json* findCondition(const Json& stored, const std::string& type) {
  if (!stored.is_object() || !stored.contains("conditions") || !stored["conditions"].is_array())
    return nullptr;
  for (const Json& condition : stored["conditions"]) {
    if (condition.is_object() && condition.value("type", "") == type) return &condition;
  }
  return nullptr;
}

std::string stringField(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int intField(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

}  // namespace

Json toJson(const PublicExposureStatus& exposure) {
  Json out = {{"phase", exposure.phase}, {"message", exposure.message}};
  if (exposure.externalIP) out["externalIP"] = *exposure.externalIP;
  if (exposure.externalIP || !exposure.ports.empty()) {
    Json ports = Json::array();
    for (const AllocatedPort& port : exposure.ports) {
      ports.push_back({{"name", port.name},
                       {"protocol", port.protocol},
                       {"port", port.port},
                       {"targetPort", port.targetPort}});
    }
    out["ports"] = ports;
  }
  return out;
}

std::optional<PublicExposureStatus> storedPublicExposure(const Json& stored) {
  if (!stored.is_object()) return std::nullopt;
  auto it = stored.find("publicExposure");
  if (it == stored.end() || !it->is_object()) return std::nullopt;
  PublicExposureStatus exposure;
  exposure.phase = stringField(*it, "phase");
  exposure.message = stringField(*it, "message");
  if (it->contains("externalIP") && (*it)["externalIP"].is_string())
    exposure.externalIP = (*it)["externalIP"].get<std::string>();
  if (it->contains("ports") && (*it)["ports"].is_array()) {
    for (const Json& port : (*it)["ports"]) {
      if (!port.is_object()) continue;
      exposure.ports.push_back({stringField(port, "name"), stringField(port, "protocol"),
                                intField(port, "port"), intField(port, "targetPort")});
    }
  }
  return exposure;
}

std::optional<ConditionState> storedCondition(const Json& stored, const std::string& type) {
  const Json* found = findCondition(stored, type);
  if (found == nullptr) return std::nullopt;
  return ConditionState{type, stringField(*found, "status") == "True", stringField(*found, "reason"),
                        stringField(*found, "message")};
}

bool conditionIsTrue(const Json& stored, const std::string& type) {
  const Json* condition = findCondition(stored, type);
  return condition != nullptr && condition->value("status", "") == "True";
}

Json desiredStatus(const Json& stored, const StatusReport& report, WallTime now) {
  Json status = {
      {"phase", report.phase}, {"message", report.message}, {"observedGeneration", report.generation}};
  if (!report.ns.empty()) status["namespace"] = report.ns;
  if (report.expiresAt) status["expiresAt"] = *report.expiresAt;
  if (report.publicExposure) status["publicExposure"] = toJson(*report.publicExposure);
  if (report.lastActivity) status["lastActivity"] = *report.lastActivity;
  Json conditions = Json::array();
  for (const ConditionState& state : report.conditions) {
    std::string value = state.status ? "True" : "False";
    std::string since = formatTimestamp(now);
    if (const Json* old = findCondition(stored, state.type)) {
      if (old->value("status", "") == value && (*old)["lastTransitionTime"].is_string()) {
        since = (*old)["lastTransitionTime"].get<std::string>();
      }
    }
    conditions.push_back({{"type", state.type},
                          {"status", value},
                          {"observedGeneration", report.generation},
                          {"lastTransitionTime", since},
                          {"reason", state.reason},
                          {"message", state.message}});
  }
  status["conditions"] = conditions;
  return status;
}

Json statusPatch(const Json& stored, const Json& desired) {
  Json patch = Json::object();
  for (const char* key : kOwnedKeys) {
    bool inStored = stored.is_object() && stored.contains(key);
    bool inDesired = desired.contains(key);
    if (inDesired && (!inStored || stored[key] != desired[key])) patch[key] = desired[key];
    if (!inDesired && inStored) patch[key] = nullptr;
  }
  // lastActivity is only ever moved, never removed: a report without it keeps the stored one.
  if (desired.contains("lastActivity") && (!stored.is_object() || !stored.contains("lastActivity") ||
                                           stored["lastActivity"] != desired["lastActivity"]))
    patch["lastActivity"] = desired["lastActivity"];
  if (patch.empty()) return nullptr;
  return {{"status", patch}};
}

}  // namespace sessiongate::controller
