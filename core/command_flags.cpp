#include "core/command_flags.h"

#include <algorithm>
#include <charconv>

#include "core/duration.h"

namespace sessiongate {
namespace {

const FlagSpec* findFlag(const CommandSpec& spec, std::string_view name) {
  auto it = std::find_if(spec.flags.begin(), spec.flags.end(), [&](const FlagSpec& f) {
    return f.name == name || std::find(f.aliases.begin(), f.aliases.end(), name) != f.aliases.end();
  });
  return it == spec.flags.end() ? nullptr : &*it;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : std::string(separator)) + item;
  return s;
}

bool isFlag(std::string_view arg) { return arg.size() > 2 && arg.substr(0, 2) == "--"; }

Result<std::string> checkedValue(const FlagSpec& flag, std::optional<std::string> value) {
  const std::string dashed = "--" + flag.name;
  if (flag.isSwitch) {
    if (!value) return std::string("true");
    if (*value != "true" && *value != "false")
      return Error{"flag " + dashed + " is a switch: give it alone, or as " + dashed + "=true or =false"};
    return *value;
  }
  if (!value || value->empty()) return Error{"flag " + dashed + " needs a value (" + flag.valueName + ")"};
  if (!flag.choices.empty() && std::find(flag.choices.begin(), flag.choices.end(), *value) == flag.choices.end())
    return Error{"flag " + dashed + ": \"" + *value + "\" is not one of " + joined(flag.choices, ", ")};
  return *value;
}

}  // namespace

std::optional<std::string> ParsedArgs::flag(std::string_view name) const {
  auto it = flags.find(name);
  if (it == flags.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
  auto it = lists.find(name);
  if (it == lists.end()) return {};
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
    if (!isFlag(arg)) {
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
    if (name == "help" || name == "h") return Error{"flag --" + name + " takes no value"};
    const FlagSpec* flag = findFlag(spec, name);
    if (!flag) return Error{"unknown flag --" + name};
    if (!flag->isSwitch && !value && i + 1 < args.size()) {
      if (isFlag(args[i + 1]))
        return Error{"flag --" + flag->name + " needs a value (" + flag->valueName + ") but is followed by " +
                     args[i + 1] + "; write --" + flag->name + "=VALUE if the value starts with --"};
      value = args[++i];
    }
    auto checked = checkedValue(*flag, value);
    if (!checked) return Error{checked.error()};
    auto& list = parsed.lists[flag->name];
    if (!list.empty() && !flag->repeatable) return Error{"flag --" + flag->name + " given twice"};
    list.push_back(*checked);
    parsed.flags[flag->name] = *checked;
  }
  for (const FlagSpec& flag : spec.flags) {
    if (parsed.flags.count(flag.name)) continue;
    if (flag.required) return Error{"missing required flag --" + flag.name + " " + flag.valueName};
    if (flag.defaultValue.empty()) continue;
    parsed.flags.emplace(flag.name, flag.defaultValue);
    parsed.lists[flag.name] = {flag.defaultValue};
  }
  if (parsed.positionals.size() != spec.positionals.size()) {
    if (spec.positionals.empty()) return Error{"unexpected argument \"" + parsed.positionals.front() + "\""};
    return Error{"expected " + joined(spec.positionals, " ") + ", got " + std::to_string(parsed.positionals.size()) +
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
    if (!flag.choices.empty()) help += " (one of " + joined(flag.choices, ", ") + ")";
    if (flag.required) help += " (required)";
    if (flag.repeatable) help += " (repeatable)";
    if (!flag.defaultValue.empty()) help += " (default " + flag.defaultValue + ")";
    for (const auto& alias : flag.aliases) help += " (also --" + alias + ")";
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

std::string usageError(std::string_view program, std::string_view problem) {
  return std::string(program) + ": " + std::string(problem) + "\nRun " + std::string(program) +
         " --help for the flags.\n";
}

Result<long long> flagNumber(const ParsedArgs& args, std::string_view name, long long min, long long max) {
  const std::string text = args.flag(name).value_or("");
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return Error{"flag --" + std::string(name) + ": expected a whole number from " + std::to_string(min) +
                 " to " + std::to_string(max) + ", got \"" + text + "\""};
  return value;
}

Result<Duration> flagDuration(const ParsedArgs& args, std::string_view name, Duration min) {
  const std::string text = args.flag(name).value_or("");
  auto parsed = parseDuration(text);
  if (!parsed || *parsed < min)
    return Error{"flag --" + std::string(name) + ": expected a duration" +
                 (min > Duration::zero() ? " of at least " + formatDuration(min) : std::string()) +
                 " such as 25s, 1m30s or 500ms, got \"" + text + "\""};
  return *parsed;
}

Result<std::vector<std::string>> commaList(std::string_view flag, const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) return Error{"flag --" + std::string(flag) + ": empty item in \"" + text + "\""};
    items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

}  // namespace sessiongate
