// Top-level dispatch and per-command --help: usage on stderr with exit 2 for unknown commands and flags,
// a help line for every flag.
#include <catch2/catch.hpp>

#include "run_command.h"

namespace sessiongate::cli {

TEST_CASE("unknown or missing commands print the usage on stderr and exit 2", "[cli][dispatch]") {
  for (const auto& args : std::vector<std::vector<std::string>>{{"deploy"}, {}}) {
    CommandRun run = runCommand(args);
    CHECK(run.code == kExitUsage);
    CHECK(run.out.empty());
    CHECK(run.err.find("Usage: sessiongatectl COMMAND [FLAGS]") != std::string::npos);
  }
  CHECK(runCommand({"deploy"}).err.rfind("sessiongatectl: unknown command \"deploy\"\n", 0) == 0);
  CHECK(runCommand({}).err.rfind("sessiongatectl: missing command\n", 0) == 0);
}

TEST_CASE("top-level help lists every command", "[cli][dispatch]") {
  CommandRun run = runCommand({"--help"});
  CHECK(run.code == kExitOk);
  CHECK(run.out ==
        "Usage: sessiongatectl COMMAND [FLAGS]\n\nCommands:\n"
        "  review  answer one AdmissionReview offline, as the webhook would\n"
        "  test    run the policy test cases of a folder\n"
        "  certs   write a CA and a serving certificate for the webhook Service\n"
        "  policy  check a SessionPolicy file (policy check FILE)\n"
        "  session open a session for as long as the command runs (session open --profile P)\n"
        "\nRun 'sessiongatectl COMMAND --help' for the flags of a command.\n");
}

TEST_CASE("each command's help has a line per flag", "[cli][dispatch]") {
  struct Case {
    std::vector<std::string> args;
    std::string usage;
    std::vector<std::string> flagLines;
  };
  const Case cases[] = {
      {{"review", "--help"},
       "Usage: sessiongatectl review --policies PATH [--objects PATH] [--endpoint mutate|validate|both] "
       "[--file "
       "REVIEW.json]\n",
       {"  --policies PATH      SessionPolicy YAML/JSON file or folder (required)\n",
        "  --objects PATH       UserSessions and Namespaces the rules read (file or folder)\n",
        "  --endpoint ENDPOINT  mutate, validate or both (default both)\n",
        "  --file REVIEW.json   AdmissionReview to answer; stdin when absent\n",
        "  --policy-name NAME   name of the SessionPolicy in force (default default)\n",
        "  -h, --help           show this help\n"}},
      {{"certs", "-h"},
       "Usage: sessiongatectl certs --service NAME --namespace NS --out DIR [--days N]\n",
       {"  --service NAME  name of the webhook Service (required)\n",
        "  --namespace NS  namespace of the webhook Service (required)\n",
        "  --out DIR       folder to write into, created 0700 when missing (required)\n",
        "  --days N        validity of both certificates in days (default 365)\n",
        "  -h, --help      show this help\n"}},
      {{"test", "--help"}, "Usage: sessiongatectl test DIR\n", {}},
      {{"policy", "--help"}, "Usage: sessiongatectl policy check FILE\n", {}},
      {{"policy", "check", "--help"}, "Usage: sessiongatectl policy check FILE\n", {}},
  };
  for (const Case& c : cases) {
    CommandRun run = runCommand(c.args);
    INFO(run.out);
    CHECK(run.code == kExitOk);
    CHECK(run.err.empty());
    CHECK(run.out.rfind(c.usage, 0) == 0);
    for (const auto& line : c.flagLines) CHECK(run.out.find(line) != std::string::npos);
  }
}

TEST_CASE("an unknown flag prints the problem and the command's help on stderr", "[cli][dispatch]") {
  CommandRun run = runCommand({"review", "--policies", "p.yaml", "--verbose"});
  CHECK(run.code == kExitUsage);
  CHECK(run.out.empty());
  CHECK(run.err.rfind("sessiongatectl review: unknown flag --verbose\n\nUsage: sessiongatectl review", 0) ==
        0);
  CommandRun missingValue = runCommand({"review", "--policies"});
  CHECK(missingValue.err.rfind("sessiongatectl review: flag --policies needs a value (PATH)\n", 0) == 0);
  CommandRun stray = runCommand({"review", "--policies=p.yaml", "extra"});
  CHECK(stray.err.rfind("sessiongatectl review: unexpected argument \"extra\"\n", 0) == 0);
}

}  // namespace sessiongate::cli
