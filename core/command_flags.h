#pragma once
// Flag parsing shared by the binaries (sessiongatectl's commands, sessiongate-tracker). Each command declares
// its flags once in a CommandSpec; the same table drives parsing, the "unknown flag" check and the --help
// text, so they cannot disagree.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sessiongate {

// FlagSpec declares one "--name VALUE" flag, or with isSwitch a "--name" switch without a value (stored as
// "true"; "--name=true" and "--name=false" are accepted too).
struct FlagSpec {
  std::string name;       // without the leading dashes
  std::string valueName;  // shown in help, e.g. PATH; empty for a switch
  std::string help;       // one line
  bool required = false;
  std::string defaultValue;  // used when the flag is absent and not required; empty means none
  bool isSwitch = false;
};

// CommandSpec declares a command: its usage line, a one-line summary, its flags and positionals.
struct CommandSpec {
  std::string usage;    // e.g. "sessiongatectl test DIR"
  std::string summary;  // one line
  std::vector<FlagSpec> flags;
  std::vector<std::string> positionals;  // names of required positional arguments, in order
};

// ParsedArgs is a command line checked against a CommandSpec.
struct ParsedArgs {
  bool help = false;                                      // -h or --help was given; nothing else was checked
  std::map<std::string, std::string, std::less<>> flags;  // every flag with a value or a default
  std::vector<std::string> positionals;

  // flag returns the value of a flag, or nullopt when it was neither given nor defaulted.
  std::optional<std::string> flag(std::string_view name) const;
  // isOn is true when a switch was given (or given as --name=true).
  bool isOn(std::string_view name) const { return flag(name) == "true"; }
};

// parseArgs accepts "--flag VALUE", "--flag=VALUE" and "--switch"; an unknown flag, a missing value, a
// repeated flag, a missing required flag or the wrong number of positionals is an error naming the problem.
Result<ParsedArgs> parseArgs(const CommandSpec& spec, const std::vector<std::string>& args);

// helpText renders the usage, the summary and a line per flag with its default.
std::string helpText(const CommandSpec& spec);

}  // namespace sessiongate
