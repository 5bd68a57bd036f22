// sessiongatectl session open: flag errors (each names the flag, the value and what to write), the
// generated name prefix and the UserSession it creates. No API server: these all happen before one is used.
#include "cli/session_request.h"

#include <catch2/catch.hpp>

#include "run_command.h"

namespace sessiongate::cli {

TEST_CASE("session open refuses bad flags with exit 2 and says which and why", "[cli][session]") {
  struct Case {
    std::vector<std::string> args;
    std::string firstErrLine;
  };
  const Case cases[] = {
      {{"session", "open"}, "sessiongatectl session open: missing required flag --profile P"},
      {{"session", "open", "--profile", ""}, "sessiongatectl session open: flag --profile needs a value (P)"},
      {{"session", "open", "--profile", "shell", "--gateway="},
       "sessiongatectl session open: flag --gateway needs a value (G)"},
      {{"session", "open", "--profile", "--gateway", "g"},
       "sessiongatectl session open: flag --profile needs a value (P) but is followed by --gateway; write "
       "--profile=VALUE if the value starts with --"},
      {{"session", "open", "--profile", "shell", "--ttl", "1d"},
       "sessiongatectl session open: --ttl 1d: time: unknown unit \"d\" in duration \"1d\"; write a Go "
       "duration such as 90m or 4h"},
      {{"session", "open", "--profile", "shell", "--ttl", "0s"},
       "sessiongatectl session open: --ttl 0s: must be positive, e.g. 90m or 4h"},
      {{"session", "open", "--profile", "shell", "--ttl", "-5m"},
       "sessiongatectl session open: --ttl -5m: must be positive, e.g. 90m or 4h"},
      {{"session", "open", "--profile", "shell", "--delete-timeout", "soon"},
       "sessiongatectl session open: --delete-timeout soon: time: invalid duration \"soon\"; write a Go "
       "duration such as 90m or 4h"},
      {{"session", "open", "--profile", "shell", "--name", "Alice_Lab"},
       "sessiongatectl session open: --name Alice_Lab: a lowercase RFC 1123 label must consist of lower case "
       "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
       "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"},
      {{"session", "open", "--profile", "shell", "--name", std::string(59, 'a')},
       "sessiongatectl session open: --name " + std::string(59, 'a') +
           ": must be no more than 58 characters, so that the namespace sess-<name> fits in 63"},
      {{"session", "open", "--profile", "shell", "--keep=yes"},
       "sessiongatectl session open: flag --keep is a switch: give it alone, or as --keep=true or =false"},
      {{"session", "open", "--profile", "shell", "--user", "bob"},
       "sessiongatectl session open: unknown flag --user"},
      {{"session", "open", "--profile", "shell", "extra"},
       "sessiongatectl session open: unexpected argument \"extra\""},
      {{"session", "close"}, "sessiongatectl session: unknown subcommand \"close\""},
      {{"session"}, "sessiongatectl session: missing subcommand (open)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    CommandRun run = runCommand(c.args);
    CHECK(run.code == kExitUsage);
    CHECK(run.out.empty());
    CHECK(run.err.substr(0, run.err.find('\n')) == c.firstErrLine);
    CHECK(run.err.find("Usage: sessiongatectl session open --profile P") != std::string::npos);
  }
}

TEST_CASE("session open reports an unreadable kubeconfig with exit 2 before any request", "[cli][session]") {
  const std::string missing = std::string(SESSIONGATE_BINARY_DIR) + "/no-such-kubeconfig";
  CommandRun run = runCommand({"session", "open", "--profile", "shell", "--kubeconfig", missing});
  CHECK(run.code == kExitUsage);
  CHECK(run.out.empty());
  CHECK(run.err.rfind("sessiongatectl session open: ", 0) == 0);
  CHECK(run.err.find(missing) != std::string::npos);
}

TEST_CASE("session open --help lists every flag and the exit codes", "[cli][session]") {
  CommandRun run = runCommand({"session", "open", "--help"});
  CHECK(run.code == kExitOk);
  CHECK(run.err.empty());
  for (const char* line : {"  --profile P ", "  --gateway G ", "  --ttl D ", "  --name N ", "  --keep ",
                           "  --delete-timeout D ", "  --kubeconfig FILE ", "  --context NAME ",
                           "1 the API server or the admission webhook refused the session"}) {
    CAPTURE(line);
    CHECK(run.out.find(line) != std::string::npos);
  }
}

TEST_CASE("generated name prefixes are DNS labels that leave room for the server's suffix",
          "[cli][session]") {
  struct Case {
    std::string user;
    std::string profile;
    std::string prefix;
  };
  const Case cases[] = {
      {"alice", "shell", "alice-shell-"},
      {"Alice.Smith@Example.org", "jupyter", "alice-smith-example-org-jupyter-"},
      {"system:serviceaccount:team-a:runner", "batch", "system-serviceaccount-team-a-runner-batch-"},
      {"--x--", "__", "x-"},
      {"ÿé", "", "session-"},
      {"", "", "session-"},
      {std::string(60, 'u'), "shell", std::string(52, 'u') + "-"},
      {std::string(51, 'u'), "shell", std::string(51, 'u') + "-"},  // the '-' at the cut is dropped
  };
  for (const Case& c : cases) {
    CAPTURE(c.user, c.profile);
    std::string prefix = generateNamePrefix(c.user, c.profile);
    CHECK(prefix == c.prefix);
    CHECK(prefix.size() + kGeneratedSuffixLength <= kMaxSessionNameLength);
  }
}

TEST_CASE("the created UserSession carries the caller as user and only the flags given", "[cli][session]") {
  struct Case {
    std::vector<std::string> flags;
    std::string manifest;
  };
  const Case cases[] = {
      {{"--profile", "shell"},
       R"({"apiVersion":"sessiongate.io/v1alpha1","kind":"UserSession","metadata":{"generateName":"alice-shell-"},)"
       R"("spec":{"profile":"shell","user":"alice"}})"},
      {{"--profile", "shell", "--gateway", "none", "--ttl", "90m", "--name", "lab-1", "--keep"},
       R"({"apiVersion":"sessiongate.io/v1alpha1","kind":"UserSession","metadata":{"name":"lab-1"},)"
       R"("spec":{"gateway":"none","profile":"shell","ttl":"90m","user":"alice"}})"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.flags);
    auto parsed = parseArgs(sessionOpenSpec(), c.flags);
    REQUIRE(parsed);
    auto request = sessionRequestFromArgs(*parsed);
    REQUIRE(request);
    CHECK(sessionManifest(*request, "alice").dump() == c.manifest);
  }
  auto parsed = parseArgs(sessionOpenSpec(), {"--profile", "shell", "--keep", "--delete-timeout", "30s"});
  REQUIRE(parsed);
  auto request = sessionRequestFromArgs(*parsed);
  REQUIRE(request);
  CHECK(request->keep);
  CHECK(request->deleteTimeout == std::chrono::seconds(30));
  auto defaults = sessionRequestFromArgs(*parseArgs(sessionOpenSpec(), {"--profile", "shell"}));
  REQUIRE(defaults);
  CHECK_FALSE(defaults->keep);
  CHECK(defaults->deleteTimeout == std::chrono::minutes(2));
}

}  // namespace sessiongate::cli
