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
      {"xml", "info", false, "log format must be text or json, got \"xml\""},
  };
  for (const Row& row : rows) {
    INFO(row.format << " " << row.level);
    auto result = configureLogging("sessiongate-test", row.format, row.level);
    CHECK(result.ok() == row.ok);
    if (!row.ok) CHECK(result.error() == row.error);
  }
  auto informational = configureLogging("sessiongate-test", "text", "informational");
  REQUIRE_FALSE(informational.ok());
  CHECK(informational.error().find("informational") != std::string::npos);
}

}  // namespace sessiongate
