#pragma once
// configureLogging is the one logging set-up of the binaries: spdlog's default logger on stderr, either
// human-readable text or one JSON object per line (time, level, logger, msg) for log collectors. Every
// binary declares its --log-format and --log-level with loggingFlags(), so the names, choices and defaults
// are the same everywhere and a bad level is refused before anything starts.
#include <string>
#include <vector>

#include "core/command_flags.h"
#include "core/result.h"

namespace sessiongate {

// kJsonLogLinePattern is the spdlog pattern of a JSON log line; %* is the message escaped as a JSON string.
inline constexpr const char* kJsonLogLinePattern =
    R"({"time":"%Y-%m-%dT%H:%M:%S.%f%z","level":"%l","logger":"%n","msg":"%*"})";

// logLevelNames are the accepted --log-level values, most verbose first.
const std::vector<std::string>& logLevelNames();

// loggingFlags are --log-format (text|json, default text) and --log-level (default info) for a flag table.
std::vector<FlagSpec> loggingFlags();

// configureLogging names the logger after the binary and applies the format ("text" or "json") and the
// level name (one of logLevelNames()); the error names the bad value and the accepted ones.
Result<bool> configureLogging(const std::string& loggerName, const std::string& format,
                              const std::string& level);

}  // namespace sessiongate
