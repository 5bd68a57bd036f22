// policy_cases_e2e: runs every case of policies/tests against the real API server with the webhook
// registered, as the case's user, and checks the same outcome the offline `sessiongatectl test` checks.
//
//   policy_cases_e2e CASES_DIR      (environment: CP_DIR of a running control plane, see tests/e2e/lib.sh)
//
// Prints `PASS name` / `FAIL name: why` per case and `N passed, N failed`; exits 1 on a failure.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <set>
#include <thread>

#include "cli/test_case.h"
#include "core/object_loader.h"
#include "tests/e2e/case_exceptions.h"
#include "tests/e2e/case_request.h"
#include "tests/e2e/cluster_state.h"
#include "tests/e2e/identities.h"

namespace {

namespace fs = std::filesystem;
using namespace sessiongate;
using namespace sessiongate::e2e;

// The webhook's cache follows the cluster through a watch: a case whose state it has not seen yet is run
// again after these pauses before it counts as failed.
const std::vector<int> retryPausesMs{500, 1500, 3000};
const int settleMs = 150;

std::optional<std::string> runOnce(const cli::TestCase& testCase, ClusterState& cluster,
                                   Identities& identities) {
  if (auto r = cluster.prepare(testCase); !r) return "cluster state: " + r.error();
  auto kubeconfig = identities.kubeconfigFor(testCase.username, testCase.groups);
  if (!kubeconfig) return "requester: " + kubeconfig.error();
  std::this_thread::sleep_for(std::chrono::milliseconds(settleMs));
  Kubectl user(*kubeconfig);
  Observed observed = performRequest(testCase, user, Kubectl(identities.admin()));
  if (observed.allowed && testCase.object && testCase.operation != "CONNECT")
    cluster.remember(*testCase.object);
  return checkOutcome(testCase, observed, findException(testCase.name));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || std::getenv("CP_DIR") == nullptr) {
    std::cerr << "usage: CP_DIR=DIR policy_cases_e2e CASES_DIR (CP_DIR: a control plane started by "
                 "scripts/controlplane, with the webhook registered; see tests/e2e/webhook_e2e.sh)\n";
    return 2;
  }
  fs::path casesDir = argv[1];
  fs::path cpDir = std::getenv("CP_DIR");
  auto sourced = loadSourcedObjects(casesDir);
  if (!sourced) {
    std::cerr << "policy_cases_e2e: " << sourced.error() << "\n";
    return 2;
  }
  fs::path defaultPolicy = fs::absolute(casesDir).lexically_normal().parent_path() / "default.yaml";
  if (fs::absolute(casesDir).lexically_normal().filename().empty()) {
    defaultPolicy = fs::absolute(casesDir).lexically_normal().parent_path().parent_path() / "default.yaml";
  }

  Identities identities(cpDir, SESSIONGATE_SOURCE_DIR, cpDir / "e2e-users");
  ClusterState cluster(Kubectl(identities.admin()), Kubectl(identities.sessionAdmin()));
  if (auto r = cluster.installSiteRbac(); !r) {
    std::cerr << "policy_cases_e2e: " << r.error() << "\n";
    return 2;
  }

  std::size_t passed = 0;
  std::size_t failed = 0;
  std::set<std::string> seen;
  for (const SourcedObject& one : *sourced) {
    auto testCase = cli::parseTestCase(one, casesDir, defaultPolicy);
    if (!testCase) {
      ++failed;
      std::cout << "FAIL " << one.source << ": invalid case: " << testCase.error() << "\n";
      continue;
    }
    seen.insert(testCase->name);
    if (const CaseException* e = findException(testCase->name)) {
      std::cout << "NOTE " << testCase->name << ": e2e expectation differs from offline: " << e->reason
                << "\n";
    }
    auto failure = runOnce(*testCase, cluster, identities);
    std::size_t attempt = 0;
    for (; failure && attempt < retryPausesMs.size(); ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(retryPausesMs[attempt]));
      failure = runOnce(*testCase, cluster, identities);
    }
    if (failure) {
      ++failed;
      std::cout << "FAIL " << testCase->name << ": " << *failure << std::endl;
    } else {
      ++passed;
      std::cout << "PASS " << testCase->name
                << (attempt ? " (after " + std::to_string(attempt) + " retries)" : "") << std::endl;
    }
  }
  for (const CaseException& e : allExceptions()) {
    if (!seen.count(e.caseName)) {
      ++failed;
      std::cout << "FAIL exception table: no case named " << e.caseName << "\n";
    }
  }
  cluster.cleanUp();
  std::cout << passed << " passed, " << failed << " failed" << std::endl;
  return failed == 0 ? 0 : 1;
}
