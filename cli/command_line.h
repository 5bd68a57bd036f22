#pragma once
// parseCommandLine is the shared front of every command: parse flags against the command's spec, print the
// help on --help, print the problem and the help on a usage error.
#include <optional>
#include <string_view>

#include "cli/args.h"
#include "cli/commands.h"

namespace sessiongate::cli {

// CommandLine is a parsed command line, or the exit code to return at once (after --help or a usage error).
struct CommandLine {
  ParsedArgs args;
  std::optional<int> exitNow;
};

// parseCommandLine parses args for the command called name; help goes to out, usage errors to err as
// "sessiongatectl NAME: PROBLEM" followed by the help.
CommandLine parseCommandLine(std::string_view name, const CommandSpec& spec,
                             const std::vector<std::string>& args, CommandIo io);

// fail prints "sessiongatectl NAME: MESSAGE" to err and returns code.
int fail(std::string_view name, std::string_view message, int code, CommandIo io);

}  // namespace sessiongate::cli
