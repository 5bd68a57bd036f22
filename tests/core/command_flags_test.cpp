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

const CommandSpec lists{"tool serve [flags]",
                       "Serves.",
                       {{"path", "PATH", "a path", false, "", false, true},
                        {"level", "LEVEL", "how loud", false, "info", false, false, {"info", "debug"}},
                        {"lease-namespace", "NS", "where", false, "system", false, false, {}, {"lease-ns"}},
                        {"port", "N", "a port", false, "8080"},
                        {"wait", "D", "how long", false, "2m"}},
                       {}};

}  // namespace

TEST_CASE("value flags: repeats, choices, aliases, a flag where a value belongs", "[core][flags]") {
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> paths;  // every --path value
    std::string level, leaseNamespace;
    std::string error;
  };
  const std::string next = "flag --path needs a value (PATH) but is followed by --level; write --path=VALUE if "
                           "the value starts with --";
  const Case cases[] = {
      {{}, {}, "info", "system", ""},
      {{"--path", "a", "--path=b", "--path", "c,d"}, {"a", "b", "c,d"}, "info", "system", ""},
      {{"--path=--odd"}, {"--odd"}, "info", "system", ""},
      {{"--path", "-"}, {"-"}, "info", "system", ""},
      {{"--level", "debug", "--lease-ns", "ns1"}, {}, "debug", "ns1", ""},
      {{"--lease-namespace=ns2"}, {}, "info", "ns2", ""},
      {{"--path", "--level", "debug"}, {}, "", "", next},
      {{"--path="}, {}, "", "", "flag --path needs a value (PATH)"},
      {{"--path"}, {}, "", "", "flag --path needs a value (PATH)"},
      {{"--level", "loud"}, {}, "", "", "flag --level: \"loud\" is not one of info, debug"},
      {{"--level", "INFO"}, {}, "", "", "flag --level: \"INFO\" is not one of info, debug"},
      {{"--level", "info", "--level", "info"}, {}, "", "", "flag --level given twice"},
      {{"--lease-ns", "a", "--lease-namespace", "b"}, {}, "", "", "flag --lease-namespace given twice"},
      {{"--levels", "info"}, {}, "", "", "unknown flag --levels"},
      {{"-l", "info"}, {}, "", "", "unknown flag -l"},
      {{"--help=no"}, {}, "", "", "flag --help takes no value"},
      {{"extra"}, {}, "", "", "unexpected argument \"extra\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    auto parsed = parseArgs(lists, c.args);
    if (!c.error.empty()) {
      REQUIRE_FALSE(parsed);
      CHECK(parsed.error() == c.error);
      continue;
    }
    REQUIRE(parsed);
    CHECK(parsed->values("path") == c.paths);
    CHECK(parsed->flag("path") == (c.paths.empty() ? std::nullopt : std::optional(c.paths.back())));
    CHECK(parsed->flag("level") == c.level);
    CHECK(parsed->flag("lease-namespace") == c.leaseNamespace);
    CHECK_FALSE(parsed->flag("lease-ns"));
  }
}

TEST_CASE("numbers and durations are read in range with a message naming the flag", "[core][flags]") {
  struct Case {
    std::string value;
    std::optional<long long> number;  // --port within 1..65535
    std::string numberError;
  };
  const Case numbers[] = {
      {"1", 1, ""},
      {"65535", 65535, ""},
      {"0", std::nullopt, "flag --port: expected a whole number from 1 to 65535, got \"0\""},
      {"65536", std::nullopt, "flag --port: expected a whole number from 1 to 65535, got \"65536\""},
      {"+5", std::nullopt, "flag --port: expected a whole number from 1 to 65535, got \"+5\""},
      {"5 ", std::nullopt, "flag --port: expected a whole number from 1 to 65535, got \"5 \""},
      {"0x10", std::nullopt, "flag --port: expected a whole number from 1 to 65535, got \"0x10\""},
      {"99999999999999999999", std::nullopt,
       "flag --port: expected a whole number from 1 to 65535, got \"99999999999999999999\""},
  };
  for (const Case& c : numbers) {
    CAPTURE(c.value);
    auto parsed = parseArgs(lists, {"--port", c.value});
    REQUIRE(parsed);
    auto n = flagNumber(*parsed, "port", 1, 65535);
    if (c.number) {
      REQUIRE(n);
      CHECK(*n == *c.number);
    } else {
      REQUIRE_FALSE(n);
      CHECK(n.error() == c.numberError);
    }
  }
  struct DurationCase {
    std::string value;
    std::optional<std::chrono::nanoseconds> duration;  // --wait of at least 1s
    std::string error;
  };
  const std::string hint = "flag --wait: expected a duration of at least 1s such as 25s, 1m30s or 500ms, got ";
  const DurationCase durations[] = {
      {"1s", std::chrono::seconds(1), ""},
      {"1m30s", std::chrono::seconds(90), ""},
      {"1.5h", std::chrono::minutes(90), ""},
      {"999ms", std::nullopt, hint + "\"999ms\""},
      {"10", std::nullopt, hint + "\"10\""},
      {"-5m", std::nullopt, hint + "\"-5m\""},
      {"5d", std::nullopt, hint + "\"5d\""},
  };
  for (const DurationCase& c : durations) {
    CAPTURE(c.value);
    auto parsed = parseArgs(lists, {"--wait", c.value});
    REQUIRE(parsed);
    auto d = flagDuration(*parsed, "wait", std::chrono::seconds(1));
    if (c.duration) {
      REQUIRE(d);
      CHECK(*d == *c.duration);
    } else {
      REQUIRE_FALSE(d);
      CHECK(d.error() == c.error);
    }
  }
  auto zero = parseArgs(lists, {"--wait", "soon"});
  REQUIRE(zero);
  CHECK(flagDuration(*zero, "wait").error() ==
        "flag --wait: expected a duration such as 25s, 1m30s or 500ms, got \"soon\"");
}

TEST_CASE("comma lists refuse empty items", "[core][flags]") {
  CHECK(*commaList("ports", "22") == std::vector<std::string>{"22"});
  CHECK(*commaList("ports", "22,80-90") == std::vector<std::string>{"22", "80-90"});
  for (const char* bad : {"", ",", "22,", ",22", "22,,80"}) {
    CAPTURE(bad);
    auto list = commaList("ports", bad);
    REQUIRE_FALSE(list);
    CHECK(list.error() == "flag --ports: empty item in \"" + std::string(bad) + "\"");
  }
}

TEST_CASE("help shows choices, repeats, defaults and aliases; a usage error says where help is", "[core][flags]") {
  CHECK(helpText(lists) ==
        "Usage: tool serve [flags]\n\nServes.\n\nFlags:\n"
        "  --path PATH           a path (repeatable)\n"
        "  --level LEVEL         how loud (one of info, debug) (default info)\n"
        "  --lease-namespace NS  where (default system) (also --lease-ns)\n"
        "  --port N              a port (default 8080)\n"
        "  --wait D              how long (default 2m)\n"
        "  -h, --help            show this help\n");
  CHECK(usageError("sessiongate-webhook", "unknown flag --x") ==
        "sessiongate-webhook: unknown flag --x\nRun sessiongate-webhook --help for the flags.\n");
}

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
