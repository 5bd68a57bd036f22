#pragma once
// configureLogging sets spdlog's default logger for the webhook: human-readable text, or one JSON object
// per line (time, level, logger, msg) for log collectors.
#include <string>

#include "core/result.h"
#include "webhook/server/options.h"

namespace sessiongate::webhook {

// JsonLogPattern is the spdlog pattern of a JSON log line; %* is the message escaped as a JSON string.
inline constexpr const char* JsonLogPattern =
    R"({"time":"%Y-%m-%dT%H:%M:%S.%f%z","level":"%l","logger":"%n","msg":"%*"})";

// configureLogging applies the format and the level name (trace .. off) to the default logger.
Result<bool> configureLogging(LogFormat format, const std::string& level);

}  // namespace sessiongate::webhook
