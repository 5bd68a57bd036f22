#pragma once
// Flag parsing shared by every binary (sessiongate-webhook, sessiongate-controller, sessiongate-tracker and
// sessiongatectl's commands). Each binary or command declares its flags once in a CommandSpec; the same table
// drives parsing, the checks (unknown, repeated, missing value, choices) and the --help text, so they cannot
// disagree and every binary answers the same command-line mistake with the same message.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sessiongate {

// kExitUsage is the exit status of every binary for a bad command line.
inline constexpr int kExitUsage = 2;

// FlagSpec declares one "--name VALUE" flag, or with isSwitch a "--name" switch without a value (stored as
// "true"; "--name=true" and "--name=false" are accepted too).
struct FlagSpec {
  std::string name;       // without the leading dashes
  std::string valueName;  // shown in help, e.g. PATH; empty for a switch
  std::string help;       // one line
  bool required = false;
  std::string defaultValue = {};  // used when the flag is absent and not required; empty means none
  bool isSwitch = false;
  bool repeatable = false;               // may be given more than once; ParsedArgs::values keeps them all
  std::vector<std::string> choices = {};  // when not empty, the only values accepted
  std::vector<std::string> aliases = {};  // other names of the same flag
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
  bool help = false;  // -h or --help was given; nothing else was checked
  // Every flag with a value or a default, under its canonical name; a repeatable flag holds its last value.
  std::map<std::string, std::string, std::less<>> flags;
  // Every value of a repeatable flag, in order (its default alone when it was not given).
  std::map<std::string, std::vector<std::string>, std::less<>> lists;
  std::vector<std::string> positionals;

  // flag returns the value of a flag, or nullopt when it was neither given nor defaulted.
  std::optional<std::string> flag(std::string_view name) const;
  // values returns every value of a repeatable flag; empty when it was neither given nor defaulted.
  std::vector<std::string> values(std::string_view name) const;
  // isOn is true when a switch was given (or given as --name=true).
  bool isOn(std::string_view name) const { return flag(name) == "true"; }
};

// parseArgs accepts "--flag VALUE", "--flag=VALUE" and "--switch". An unknown flag, a missing or empty
// value, a value that is another flag ("--policy-name --listen": write --policy-name=--listen if meant), a
// value outside the flag's choices, a repeated flag (unless repeatable), a missing required flag or the wrong
// number of positionals is an error naming the problem.
Result<ParsedArgs> parseArgs(const CommandSpec& spec, const std::vector<std::string>& args);

// helpText renders the usage, the summary and a line per flag with its choices, default and aliases.
std::string helpText(const CommandSpec& spec);

// usageError is how a binary reports a bad command line on stderr before exiting with kExitUsage:
// "PROGRAM: PROBLEM" and a line saying where the flags are described.
std::string usageError(std::string_view program, std::string_view problem);

// flagNumber reads a whole-number flag within [min, max]; the error names the flag, the range and the value.
Result<long long> flagNumber(const ParsedArgs& args, std::string_view name, long long min, long long max);

// flagDuration reads a Go-duration flag (25s, 1m30s, 500ms) of at least min.
Result<std::chrono::nanoseconds> flagDuration(const ParsedArgs& args, std::string_view name,
                                              std::chrono::nanoseconds min = std::chrono::nanoseconds::zero());

// commaList splits "a,b,c" into its items; empty items are an error naming the flag.
Result<std::vector<std::string>> commaList(std::string_view flag, const std::string& text);

}  // namespace sessiongate
