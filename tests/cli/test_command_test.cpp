// sessiongatectl test: a line per case and the summary, on a fixture folder with passing, failing and
// invalid cases; and the shipped policies/tests suite passes.
#include <catch2/catch.hpp>

#include "run_command.h"

namespace sessiongate::cli {

TEST_CASE("test prints PASS and FAIL lines and the summary", "[cli][test]") {
  const std::string dir = fixture("cases");
  CommandRun run = runCommand({"test", dir});
  CHECK(run.code == kExitProblems);
  CHECK(run.err.empty());
  CHECK(run.out ==
        "PASS own-session-allowed\n"
        "FAIL other-user-wrongly-expected-allowed: expected allowed, got denied (spec.user: Forbidden: alice "
        "may not "
        "create a session for bob; only members of adminGroups [sessiongate:admins] may)\n"
        "FAIL typo-in-case: invalid case: " +
            dir +
            "/c-typo.yaml:1: case typo-in-case: unknown field \"expected\" "
            "(known: description, endpoint, expect, name, namespace, object, objects, oldObject, operation, "
            "podName, policy, reinvoke, subResource, user)\n"
            "PASS second-session-over-limit\n"
            "2 passed, 2 failed\n");
}

TEST_CASE("the shipped policy test suite passes", "[cli][test]") {
  CommandRun run = runCommand({"test", std::string(SESSIONGATE_SOURCE_DIR) + "/policies/tests"});
  INFO(run.out);
  CHECK(run.code == kExitOk);
  CHECK(run.out.find("FAIL") == std::string::npos);
  CHECK(run.out.find(" passed, 0 failed\n") != std::string::npos);
}

TEST_CASE("test refuses a missing or empty folder", "[cli][test]") {
  CommandRun missing = runCommand({"test", fixture("no-such-dir")});
  CHECK(missing.code == kExitUsage);
  CHECK(missing.err == "sessiongatectl test: " + fixture("no-such-dir") + " is not a folder of test cases\n");
  CommandRun none = runCommand({"test"});
  CHECK(none.code == kExitUsage);
  CHECK(none.err.rfind("sessiongatectl test: expected DIR, got 0 argument(s)\n", 0) == 0);
}

}  // namespace sessiongate::cli
