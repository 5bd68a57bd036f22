// sessiongatectl policy check: every problem with its field path, or the summary of a valid policy.
#include <catch2/catch.hpp>

#include "run_command.h"

namespace sessiongate::cli {

TEST_CASE("policy check accepts the shipped default policy", "[cli][policy]") {
  CommandRun run = runCommand({"policy", "check", defaultPolicy()});
  CHECK(run.code == kExitOk);
  CHECK(run.out == "policy \"default\" is valid: 5 profiles, 2 gateways\n");
  CHECK(run.err.empty());
}

TEST_CASE("policy check lists every problem of a bad policy", "[cli][policy]") {
  const std::string file = fixture("bad-policy.yaml");
  CommandRun run = runCommand({"policy", "check", file});
  CHECK(run.code == kExitProblems);
  CHECK(run.err.empty());
  CHECK(run.out ==
        file +
            ":2: spec.profiles[1].maxInactivity: Invalid value: \"soon\": time: invalid duration \"soon\"\n" +
            file +
            ":2: spec.profiles[0].defaultTTL: Invalid value: \"8h0m0s\": must not be greater than maxTTL "
            "(4h0m0s)\n" +
            file + ":2: spec.profiles[0].gateways[0]: Unsupported value: \"mars\"\n" + file +
            ":2: spec.profiles[1].name: Duplicate value: \"shell\"\n" + file +
            ":2: spec.publicExposure.ipPool[1]: Invalid value: \"192.0.2.4\": overlaps "
            "spec.publicExposure.ipPool[0] (\"192.0.2.0/28\")\n" +
            file +
            ":2: spec.publicExposure.autoPortRange: Invalid value: \"70000-80000\": ports must be between 1 "
            "and 65535, inclusive\n" +
            "policy \"broken\" is invalid: 6 problems\n");
}

TEST_CASE("policy check reports wrong-typed values as field errors", "[cli][policy]") {
  // kind and metadata.name of another type used to abort sessiongatectl (nlohmann's value() throws).
  const std::string file = fixture("wrong-types-policy.yaml");
  CommandRun run = runCommand({"policy", "check", file});
  CHECK(run.code == kExitProblems);
  CHECK(run.err.empty());
  CHECK(run.out ==
        file + ":7: metadata.name: Invalid value: 5: must be of type string\n" + file +
            ":7: spec.profiles[0].resources: Invalid value: [\"cpu\"]: must be of type object\n" + file +
            ":7: spec.profiles[0].allowNoGateway: Invalid value: \"true\": must be of type boolean\n" + file +
            ":7: spec.storage.readOnly: Invalid value: \"yes\": must be of type boolean\n" + file +
            ":7: spec.publicExposure.ipPool: Invalid value: {\"first\":\"192.0.2.1\"}: must be of type "
            "array\n" +
            file +
            ":7: spec.profiles[0].gateways: Required value: list at least one of spec.gateways, or set "
            "allowNoGateway\n" +
            "policy \"\" is invalid: 6 problems\n");
}

TEST_CASE("policy check refuses files without a policy and bad usage", "[cli][policy]") {
  struct Case {
    std::vector<std::string> args;
    std::string errPrefix;
  };
  const Case cases[] = {
      {{"policy", "check", fixture("objects.yaml")},
       "sessiongatectl policy check: " + fixture("objects.yaml") +
           " holds no object of kind SessionPolicy\n"},
      {{"policy", "check", fixture("missing.yaml")},
       "sessiongatectl policy check: " + fixture("missing.yaml") + ": no such file or directory\n"},
      {{"policy"}, "sessiongatectl policy: missing subcommand\n\nUsage: sessiongatectl policy check FILE"},
      {{"policy", "lint", "x"}, "sessiongatectl policy: unknown subcommand \"lint\"\n"},
      {{"policy", "check"}, "sessiongatectl policy check: expected FILE, got 0 argument(s)\n"},
      {{"policy", "check", "a.yaml", "--strict"}, "sessiongatectl policy check: unknown flag --strict\n"},
  };
  for (const Case& c : cases) {
    CommandRun run = runCommand(c.args);
    INFO(run.err);
    CHECK(run.code == kExitUsage);
    CHECK(run.out.empty());
    CHECK(run.err.rfind(c.errPrefix, 0) == 0);
  }
}

}  // namespace sessiongate::cli
