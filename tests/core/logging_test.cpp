// The one logging set-up of every binary: formats and levels, and refusals that name the bad value.
#include <catch2/catch.hpp>

#include "core/logging.h"

namespace sessiongate {

TEST_CASE("logging accepts the documented levels and formats and names a bad one", "[core][logging]") {
  struct Row {
    std::string format, level;
    bool ok;
    std::string error;
  };
  std::vector<Row> rows = {
      {"json", "debug", true, ""},
      {"text", "off", true, ""},
      {"text", "info", true, ""},
      {"json", "trace", true, ""},
      {"text", "warn", true, ""},
      {"text", "critical", true, ""},
      {"xml", "info", false, "log format must be text or json, got \"xml\""},
      {"text", "informational", false,
       "log level \"informational\" is not one of trace, debug, info, warn, error, critical, off"},
      {"text", "warning", false,
       "log level \"warning\" is not one of trace, debug, info, warn, error, critical, off"},
      {"text", "err", false, "log level \"err\" is not one of trace, debug, info, warn, error, critical, off"},
      {"text", "", false, "log level \"\" is not one of trace, debug, info, warn, error, critical, off"},
  };
  for (const Row& row : rows) {
    INFO(row.format << " " << row.level);
    auto result = configureLogging("sessiongate-test", row.format, row.level);
    CHECK(result.ok() == row.ok);
    if (!row.ok) CHECK(result.error() == row.error);
  }
  // The flag table of every binary offers exactly the levels configureLogging accepts.
  auto flags = loggingFlags();
  REQUIRE(flags.size() == 2);
  CHECK(flags[0].name == "log-format");
  CHECK(flags[0].choices == std::vector<std::string>{"text", "json"});
  CHECK(flags[1].name == "log-level");
  CHECK(flags[1].choices == logLevelNames());
  for (const std::string& level : flags[1].choices) CHECK(configureLogging("sessiongate-test", "text", level).ok());
}

}  // namespace sessiongate
