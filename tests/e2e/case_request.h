#pragma once
// performRequest sends a policy case's request to the real API server with kubectl as the case's user, and
// checkOutcome compares what kubectl showed and what the API server stored with the case's expectation.
#include <optional>
#include <string>

#include "cli/test_case.h"
#include "core/json.h"
#include "tests/e2e/case_exceptions.h"
#include "tests/e2e/process.h"

namespace sessiongate::e2e {

// Observed is what kubectl showed: whether the request went through, its error output, and the object as
// the API server stored it (read back with kubectl get) when it did.
struct Observed {
  bool allowed = false;
  std::string kubectlError;
  std::optional<Json> stored;
};

// performRequest: CREATE is `kubectl create -f -`, UPDATE `kubectl replace -f -` of the object with the
// stored oldObject's resourceVersion, DELETE `kubectl delete KIND NAME`, each as user.
Observed performRequest(const cli::TestCase& testCase, const Kubectl& user, const Kubectl& admin);

// checkOutcome returns nothing when observed matches the case's expectation (or its exception), else what
// differed: "expected denied, got allowed", the message kubectl showed, or the stored field that differs.
std::optional<std::string> checkOutcome(const cli::TestCase& testCase, const Observed& observed,
                                        const CaseException* exception);

}  // namespace sessiongate::e2e
