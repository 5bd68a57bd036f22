#include "core/glob.h"

#include <catch2/catch.hpp>

TEST_CASE("image globs match * and ? over the whole reference", "[core][glob]") {
  struct Row {
    const char* pattern;
    const char* text;
    bool match;
  };
  const Row rows[] = {
      {"registry.example.com/lab/*", "registry.example.com/lab/ubuntu:22.04", true},
      {"registry.example.com/lab/*", "registry.example.com/lab/team/tool:1", true},
      {"registry.example.com/lab/*", "registry.example.com/other/ubuntu:22.04", false},
      {"registry.example.com/lab/*", "evil.com/registry.example.com/lab/x", false},
      {"*/python:3.1?", "docker.io/python:3.12", true},
      {"*/python:3.1?", "docker.io/python:3.1", false},
      {"ubuntu:22.04", "ubuntu:22.04", true},
      {"ubuntu:22.04", "ubuntu:22.040", false},
      {"*", "", true},
      {"*", "anything/at:all", true},
      {"", "", true},
      {"", "x", false},
      {"?", "", false},
      {"a*b*c", "aXXbYYbZZc", true},
      {"a*b*c", "aXXbYYbZZ", false},
      {"**x", "abx", true},
      {"lab-*:*", "lab-ml:1.0", true},
      {"lab-*:*", "lab-ml", false},
  };
  for (const auto& row : rows) {
    INFO("pattern " << row.pattern << " text " << row.text);
    CHECK(sessiongate::globMatch(row.pattern, row.text) == row.match);
  }
}
