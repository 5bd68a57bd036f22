// sessiongatectl test DIR: run every policy test case of a folder and print a line per case and a summary.
#include <ostream>

#include "cli/case_runner.h"
#include "cli/command_line.h"
#include "cli/test_case.h"
#include "core/object_loader.h"

namespace sessiongate::cli {
namespace {

namespace fs = std::filesystem;

const CommandSpec testSpec{
    "sessiongatectl test DIR",
    "Runs the policy test cases in DIR (*.yaml, *.yml, *.json; format in policies/tests/README.md) through\n"
    "the webhook's rules. Cases without a 'policy' use DIR/../default.yaml. Prints 'PASS name' or\n"
    "'FAIL name: why' per case and 'N passed, N failed'; exits 1 when a case fails.",
    {},
    {"DIR"}};

}  // namespace

int runTest(const std::vector<std::string>& args, CommandIo io) {
  CommandLine line = parseCommandLine("test", testSpec, args, io);
  if (line.exitNow) return *line.exitNow;
  fs::path dir = line.args.positionals.front();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return fail("test", dir.string() + " is not a folder of test cases", kExitUsage, io);

  auto cases = loadSourcedObjects(dir);
  if (!cases) return fail("test", cases.error(), kExitUsage, io);
  if (cases->empty())
    return fail("test", "no test cases (*.yaml, *.yml, *.json) in " + dir.string(), kExitUsage, io);

  // Cases without a `policy` run against DIR/../default.yaml (policies/default.yaml for policies/tests).
  fs::path defaultPolicy = (dir / "..").lexically_normal() / "default.yaml";
  std::size_t passed = 0;
  std::size_t failed = 0;
  for (const SourcedObject& sourced : *cases) {
    auto testCase = parseTestCase(sourced, dir, defaultPolicy);
    if (!testCase) {
      ++failed;
      std::string name =
          sourced.object.is_object() ? sourced.object.value("name", sourced.source) : sourced.source;
      io.out << "FAIL " << name << ": invalid case: " << testCase.error() << "\n";
      continue;
    }
    CaseOutcome outcome = runCase(*testCase);
    if (outcome.passed) {
      ++passed;
      io.out << "PASS " << testCase->name << "\n";
    } else {
      ++failed;
      io.out << "FAIL " << testCase->name << ": " << outcome.detail << "\n";
    }
  }
  io.out << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? kExitOk : kExitProblems;
}

}  // namespace sessiongate::cli
