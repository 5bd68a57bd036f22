#include "cli/command_line.h"

#include <ostream>

namespace sessiongate::cli {

CommandLine parseCommandLine(std::string_view name, const CommandSpec& spec,
                             const std::vector<std::string>& args, CommandIo io) {
  CommandLine line;
  auto parsed = parseArgs(spec, args);
  if (!parsed) {
    io.err << "sessiongatectl " << name << ": " << parsed.error() << "\n\n" << helpText(spec);
    line.exitNow = kExitUsage;
    return line;
  }
  if (parsed->help) {
    io.out << helpText(spec);
    line.exitNow = kExitOk;
    return line;
  }
  line.args = std::move(*parsed);
  return line;
}

int fail(std::string_view name, std::string_view message, int code, CommandIo io) {
  io.err << "sessiongatectl " << name << ": " << message << "\n";
  return code;
}

}  // namespace sessiongate::cli
