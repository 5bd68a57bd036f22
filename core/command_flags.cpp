#include "core/command_flags.h"

#include <algorithm>

namespace sessiongate {
namespace {

const FlagSpec* findFlag(const CommandSpec& spec, std::string_view name) {
  auto it =
      std::find_if(spec.flags.begin(), spec.flags.end(), [&](const FlagSpec& f) { return f.name == name; });
  return it == spec.flags.end() ? nullptr : &*it;
}

std::string positionalList(const CommandSpec& spec) {
  std::string s;
  for (const auto& name : spec.positionals) s += (s.empty() ? "" : " ") + name;
  return s;
}

}  // namespace

std::optional<std::string> ParsedArgs::flag(std::string_view name) const {
  auto it = flags.find(name);
  if (it == flags.end()) return std::nullopt;
  return it->second;
}

Result<ParsedArgs> parseArgs(const CommandSpec& spec, const std::vector<std::string>& args) {
  ParsedArgs parsed;
  for (const auto& arg : args) {
    if (arg == "-h" || arg == "--help") {
      parsed.help = true;
      return parsed;
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      if (arg.size() > 1 && arg[0] == '-') return Error{"unknown flag " + arg};
      parsed.positionals.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const FlagSpec* flag = findFlag(spec, name);
    if (!flag) return Error{"unknown flag --" + name};
    if (flag->isSwitch) {
      if (!value) value = "true";
      if (*value != "true" && *value != "false")
        return Error{"flag --" + name + " is a switch: give it alone, or as --" + name + "=true or =false"};
    } else if (!value) {
      if (i + 1 >= args.size()) return Error{"flag --" + name + " needs a value (" + flag->valueName + ")"};
      value = args[++i];
    }
    if (!parsed.flags.emplace(name, *value).second) return Error{"flag --" + name + " given twice"};
  }
  for (const FlagSpec& flag : spec.flags) {
    if (parsed.flags.count(flag.name)) continue;
    if (flag.required) return Error{"missing required flag --" + flag.name + " " + flag.valueName};
    if (!flag.defaultValue.empty()) parsed.flags.emplace(flag.name, flag.defaultValue);
  }
  if (parsed.positionals.size() != spec.positionals.size()) {
    if (spec.positionals.empty()) return Error{"unexpected argument \"" + parsed.positionals.front() + "\""};
    return Error{"expected " + positionalList(spec) + ", got " + std::to_string(parsed.positionals.size()) +
                 " argument(s)"};
  }
  return parsed;
}

std::string helpText(const CommandSpec& spec) {
  std::string text = "Usage: " + spec.usage + "\n\n" + spec.summary + "\n";
  if (spec.flags.empty()) return text;
  text += "\nFlags:\n";
  std::vector<std::pair<std::string, std::string>> rows;
  for (const FlagSpec& flag : spec.flags) {
    std::string help = flag.help;
    if (flag.required) help += " (required)";
    if (!flag.defaultValue.empty()) help += " (default " + flag.defaultValue + ")";
    rows.emplace_back(flag.isSwitch ? "--" + flag.name : "--" + flag.name + " " + flag.valueName,
                      std::move(help));
  }
  rows.emplace_back("-h, --help", "show this help");
  std::size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.size());
  for (const auto& [left, help] : rows)
    text += "  " + left + std::string(width - left.size() + 2, ' ') + help + "\n";
  return text;
}

}  // namespace sessiongate
