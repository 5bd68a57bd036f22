#include "controller/reconcile/quota.h"

#include "controller/reconcile/names.h"
#include "controller/reconcile/namespace.h"

namespace sessiongate::controller {

namespace {

Json toObject(const std::map<std::string, std::string>& values) {
  Json out = Json::object();
  for (const auto& [key, value] : values) out[key] = value;
  return out;
}

}  // namespace

Json resourceQuotaObject(const SessionFacts& facts) {
  return {
      {"apiVersion", "v1"},
      {"kind", "ResourceQuota"},
      {"metadata", {{"name", kQuotaName}, {"namespace", facts.ns}, {"labels", sessionLabels(facts)}}},
      {"spec", {{"hard", toObject(facts.profile.quotaHard)}}},
  };
}

Json limitRangeObject(const SessionFacts& facts) {
  Json limit = {{"type", "Container"}};
  if (!facts.profile.limits.empty()) limit["default"] = toObject(facts.profile.limits);
  if (!facts.profile.requests.empty()) limit["defaultRequest"] = toObject(facts.profile.requests);
  return {
      {"apiVersion", "v1"},
      {"kind", "LimitRange"},
      {"metadata", {{"name", kLimitRangeName}, {"namespace", facts.ns}, {"labels", sessionLabels(facts)}}},
      {"spec", {{"limits", Json::array({limit})}}},
  };
}

}  // namespace sessiongate::controller
