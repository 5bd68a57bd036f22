#pragma once
// Readiness of the webhook (GET /readyz, and so the endpoints of its Service): when it can answer reviews.
#include <optional>
#include <string>

namespace sessiongate::webhook {

// PolicySource is where the webhook's cluster picture comes from.
enum class PolicySource { Files, Cluster };

// ReadinessState is what readiness depends on.
struct ReadinessState {
  PolicySource source = PolicySource::Cluster;
  bool cacheSynced = false;   // cluster mode: every watched resource has been listed once
  bool policyLoaded = false;  // the SessionPolicy in force is loaded
  std::string policyName = "default";
};

// notReadyReason says why the webhook cannot answer reviews yet, or nullopt when it can.
//
// In cluster mode the webhook is ready once its cache has synced, policy or not: the API server sends every
// SessionPolicy to this same webhook (failurePolicy Fail), so waiting for a policy would refuse the very
// first one and an install in one `kubectl apply` could never converge. Without a policy the rules refuse
// sessions and session pods with "no SessionPolicy NAME loaded" and still validate SessionPolicies.
// In file mode the files are the only source and a load fails without the policy, so a loaded policy is
// what "synced" means there.
std::optional<std::string> notReadyReason(const ReadinessState& state);

}  // namespace sessiongate::webhook
