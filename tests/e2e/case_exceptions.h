#pragma once
// Cases whose offline expectation the real API server cannot reproduce as written, with the reason and what
// kubectl shows instead. Every exception is printed with its reason when its case runs; none is a skip.
#include <string>
#include <vector>

namespace sessiongate::e2e {

// CaseException replaces a case's expectation in the e2e run.
struct CaseException {
  std::string caseName;
  std::string reason;                       // why the API server answers differently from the webhook alone
  bool allowed = false;                     // the outcome kubectl shows
  std::vector<std::string> stderrContains;  // each must appear in kubectl's error output
};

// findException is the exception of a case, or nullptr when the offline expectation holds as written.
const CaseException* findException(const std::string& caseName);

// allExceptions is the table, so the runner can say which entries matched no case.
const std::vector<CaseException>& allExceptions();

}  // namespace sessiongate::e2e
