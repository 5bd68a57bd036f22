// sessiongatectl policy check: parse and check every SessionPolicy of a file, print each problem with its
// field path.
#include <ostream>

#include "cli/command_line.h"
#include "core/json_fields.h"
#include "core/object_loader.h"
#include "core/object_meta.h"
#include "core/policy.h"

namespace sessiongate::cli {
namespace {

const CommandSpec checkSpec{"sessiongatectl policy check FILE",
                            "Checks every SessionPolicy in FILE (YAML or JSON) and prints each problem as\n"
                            "'FILE:LINE: field.path: problem'. Exits 1 when there are problems.",
                            {},
                            {"FILE"}};

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

// checkOne prints the problems of one policy object, or its summary line; returns whether it is valid.
bool checkOne(const SourcedObject& sourced, std::ostream& out) {
  PolicyParse parsed = parsePolicy(sourced.object);
  std::string name = parsed.policy.name;
  if (name.empty()) {
    name = metaOf(sourced.object).name();
  }
  if (parsed.errors.empty()) {
    out << "policy \"" << name << "\" is valid: " << plural(parsed.policy.profiles.size(), "profile") << ", "
        << plural(parsed.policy.gateways.size(), "gateway") << "\n";
    return true;
  }
  for (const FieldError& error : parsed.errors) out << sourced.source << ": " << error.message() << "\n";
  out << "policy \"" << name << "\" is invalid: " << plural(parsed.errors.size(), "problem") << "\n";
  return false;
}

}  // namespace

int runPolicy(const std::vector<std::string>& args, CommandIo io) {
  if (args.empty() || (args.front() != "check" && args.front() != "--help" && args.front() != "-h")) {
    std::string problem = args.empty() ? "missing subcommand" : "unknown subcommand \"" + args.front() + "\"";
    io.err << "sessiongatectl policy: " << problem << "\n\n" << helpText(checkSpec);
    return kExitUsage;
  }
  if (args.front() != "check") {
    io.out << helpText(checkSpec);
    return kExitOk;
  }
  CommandLine line = parseCommandLine("policy check", checkSpec, {args.begin() + 1, args.end()}, io);
  if (line.exitNow) return *line.exitNow;
  const std::string& file = line.args.positionals.front();

  auto objects = loadSourcedObjects(file);
  if (!objects) return fail("policy check", objects.error(), kExitUsage, io);
  bool valid = true;
  std::size_t policies = 0;
  for (const SourcedObject& sourced : *objects) {
    if (stringOf(sourced.object, "kind") != "SessionPolicy") continue;
    ++policies;
    valid = checkOne(sourced, io.out) && valid;
  }
  if (policies == 0)
    return fail("policy check", file + " holds no object of kind SessionPolicy", kExitUsage, io);
  return valid ? kExitOk : kExitProblems;
}

}  // namespace sessiongate::cli
