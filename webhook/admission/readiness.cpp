#include "webhook/admission/readiness.h"

namespace sessiongate::webhook {

std::optional<std::string> notReadyReason(const ReadinessState& state) {
  if (state.source == PolicySource::Cluster) {
    if (!state.cacheSynced) return "the cluster cache has not synced yet";
    return std::nullopt;
  }
  if (!state.policyLoaded) return "SessionPolicy \"" + state.policyName + "\" not loaded from the policy files";
  return std::nullopt;
}

}  // namespace sessiongate::webhook
