#pragma once
// What the test runner builds from a case: the ClusterView the webhook would see and the AdmissionReview the
// API server would send.
#include <memory>
#include <string>

#include "cli/test_case.h"
#include "core/cluster_view.h"
#include "core/json.h"
#include "core/result.h"

namespace sessiongate::cli {

// buildClusterView loads the case's policy (the SessionPolicy named "default" of its policy file) and adds
// the case's `objects` (UserSessions and Namespaces).
Result<std::unique_ptr<MemoryClusterView>> buildClusterView(const TestCase& testCase);

// buildReview is the admission.k8s.io/v1 AdmissionReview for the case, with object replaced by
// objectOverride when given (the reinvocation review). The uid is derived from the case name.
Json buildReview(const TestCase& testCase, const Json* objectOverride = nullptr);

// resourceOf is the plural resource name of a kind: Pod -> pods, SessionPolicy -> sessionpolicies.
std::string resourceOf(const std::string& kind);

}  // namespace sessiongate::cli
