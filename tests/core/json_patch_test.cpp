#include "core/json_patch.h"

#include <catch2/catch.hpp>

using sessiongate::escapePointerToken;
using sessiongate::pointer;
using sessiongate::unescapePointerToken;

TEST_CASE("pointer tokens escape ~ and / (RFC 6901)", "[core][json_patch]") {
  struct Row {
    const char* raw;
    const char* escaped;
  };
  const Row rows[] = {
      {"plain", "plain"}, {"sessiongate.io/user", "sessiongate.io~1user"},
      {"a~b", "a~0b"},    {"~/", "~0~1"},
      {"/~1", "~1~01"},   {"", ""},
  };
  for (const auto& row : rows) {
    INFO("token " << row.raw);
    CHECK(escapePointerToken(row.raw) == row.escaped);
    CHECK(unescapePointerToken(row.escaped) == row.raw);
  }
  CHECK(pointer("metadata", "labels", "sessiongate.io/user") == "/metadata/labels/sessiongate.io~1user");
  CHECK(pointer("spec", "containers", 2, "env", "-") == "/spec/containers/2/env/-");
  CHECK(pointer() == "");
  CHECK(sessiongate::appendToken("/metadata/annotations", "a/b~c") == "/metadata/annotations/a~1b~0c");
}
