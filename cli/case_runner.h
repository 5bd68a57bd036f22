#pragma once
// runCase reviews one test case through the same Reviewer the webhook serves and compares the answer with
// the case's expectations.
#include <string>

#include "cli/test_case.h"

namespace sessiongate::cli {

// CaseOutcome is the verdict on one case; detail says what differed ("expected denied, got allowed").
struct CaseOutcome {
  bool passed = false;
  std::string detail;
};

// runCase builds the cluster view and the review, answers it on the case's endpoint, checks allowed, the
// message, the patch, the mutated object and, with reinvoke, that a second mutation yields no patch.
CaseOutcome runCase(const TestCase& testCase);

}  // namespace sessiongate::cli
