// core/command_flags: the shared flag parser, its switches and its help text.
#include "core/command_flags.h"

#include <catch2/catch.hpp>

namespace sessiongate {
namespace {

const CommandSpec spec{"tool run --name N [--keep]",
                       "Runs.",
                       {{"name", "N", "a name", true, ""},
                        {"keep", "", "keep it", false, "", true},
                        {"wait", "D", "how long", false, "2m"}},
                       {}};

}  // namespace

TEST_CASE("switches take no value, or exactly true or false after =", "[core][flags]") {
  struct Case {
    std::vector<std::string> args;
    std::string keep;  // value of --keep, "-" when absent
    std::string error;
  };
  const Case cases[] = {
      {{"--name", "a"}, "-", ""},
      {{"--name", "a", "--keep"}, "true", ""},
      {{"--keep", "--name", "a"}, "true", ""},
      {{"--name", "a", "--keep=false"}, "false", ""},
      {{"--name", "a", "--keep=true"}, "true", ""},
      {{"--name", "a", "--keep=1"},
       "",
       "flag --keep is a switch: give it alone, or as --keep=true or =false"},
      {{"--name", "a", "--keep", "--keep"}, "", "flag --keep given twice"},
      {{"--keep"}, "", "missing required flag --name N"},
      {{"--name"}, "", "flag --name needs a value (N)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    auto parsed = parseArgs(spec, c.args);
    if (!c.error.empty()) {
      REQUIRE_FALSE(parsed);
      CHECK(parsed.error() == c.error);
      continue;
    }
    REQUIRE(parsed);
    CHECK(parsed->flag("keep").value_or("-") == c.keep);
    CHECK(parsed->isOn("keep") == (c.keep == "true"));
    CHECK(parsed->flag("wait") == "2m");
  }
}

TEST_CASE("help shows a switch without a value name", "[core][flags]") {
  CHECK(helpText(spec) ==
        "Usage: tool run --name N [--keep]\n\nRuns.\n\nFlags:\n"
        "  --name N    a name (required)\n"
        "  --keep      keep it\n"
        "  --wait D    how long (default 2m)\n"
        "  -h, --help  show this help\n");
}

}  // namespace sessiongate
