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

}  // namespace

bool conditionIsTrue(const Json& stored, const std::string& type) {
  const Json* condition = findCondition(stored, type);
  return condition != nullptr && condition->value("status", "") == "True";
}

Json desiredStatus(const Json& stored, const StatusReport& report, WallTime now) {
  Json status = {
      {"phase", report.phase}, {"message", report.message}, {"observedGeneration", report.generation}};
  if (!report.ns.empty()) status["namespace"] = report.ns;
  if (report.expiresAt) status["expiresAt"] = *report.expiresAt;
  if (!report.publicExposure.is_null()) status["publicExposure"] = report.publicExposure;
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
  if (patch.empty()) return nullptr;
  return {{"status", patch}};
}

}  // namespace sessiongate::controller
