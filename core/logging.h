#pragma once
// configureLogging is the one logging set-up of the binaries: spdlog's default logger on stderr, either
// human-readable text or one JSON object per line (time, level, logger, msg) for log collectors.
#include <string>

#include "core/result.h"

namespace sessiongate {

// JsonLogLinePattern is the spdlog pattern of a JSON log line; %* is the message escaped as a JSON string.
inline constexpr const char* JsonLogLinePattern =
    R"({"time":"%Y-%m-%dT%H:%M:%S.%f%z","level":"%l","logger":"%n","msg":"%*"})";

// configureLogging names the logger after the binary and applies the format ("text" or "json") and the
// level name (trace .. off); the error names the bad value.
Result<bool> configureLogging(const std::string& loggerName, const std::string& format,
                              const std::string& level);

}  // namespace sessiongate
