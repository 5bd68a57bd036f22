#include <ostream>
#include <string_view>

#include "cli/commands.h"

namespace sessiongate::cli {
namespace {

// Command is one entry of the top-level command table.
struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(const std::vector<std::string>&, CommandIo);
};

constexpr Command commands[] = {
    {"review", "answer one AdmissionReview offline, as the webhook would", runReview},
    {"test", "run the policy test cases of a folder", runTest},
    {"certs", "write a CA and a serving certificate for the webhook Service", runCerts},
    {"policy", "check a SessionPolicy file (policy check FILE)", runPolicy},
    {"session", "open a session for as long as the command runs (session open --profile P)", runSession},
};

void usage(std::ostream& out) {
  out << "Usage: sessiongatectl COMMAND [FLAGS]\n\nCommands:\n";
  for (const Command& c : commands) {
    out << "  " << c.name << std::string(8 - c.name.size(), ' ') << c.summary << "\n";
  }
  out << "\nRun 'sessiongatectl COMMAND --help' for the flags of a command.\n";
}

}  // namespace

int dispatch(const std::vector<std::string>& args, CommandIo io) {
  if (args.empty()) {
    io.err << "sessiongatectl: missing command\n\n";
    usage(io.err);
    return kExitUsage;
  }
  const std::string& name = args.front();
  if (name == "-h" || name == "--help" || name == "help") {
    usage(io.out);
    return kExitOk;
  }
  for (const Command& c : commands) {
    if (c.name == name) return c.run(std::vector<std::string>(args.begin() + 1, args.end()), io);
  }
  io.err << "sessiongatectl: unknown command \"" << name << "\"\n\n";
  usage(io.err);
  return kExitUsage;
}

}  // namespace sessiongate::cli
