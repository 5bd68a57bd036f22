// Go duration parsing and printing; expected values are what Go 1.22's time.ParseDuration and
// Duration.String give.
#include "core/duration.h"

#include <catch2/catch.hpp>
#include <cstdint>

using sessiongate::Duration;
using sessiongate::formatDuration;
using sessiongate::parseDuration;

namespace {

struct DurationRow {
  const char* text;
  std::int64_t nanos;
  const char* formatted;
};

const DurationRow kDurationRows[] = {
    {"0", 0, "0s"},
    {"5s", 5000000000, "5s"},
    {"30s", 30000000000, "30s"},
    {"1478s", 1478000000000, "24m38s"},
    {"-5s", -5000000000, "-5s"},
    {"+5s", 5000000000, "5s"},
    {"-0", 0, "0s"},
    {"+0", 0, "0s"},
    {"5.0s", 5000000000, "5s"},
    {"5.6s", 5600000000, "5.6s"},
    {"5.s", 5000000000, "5s"},
    {".5s", 500000000, "500ms"},
    {"1.004s", 1004000000, "1.004s"},
    {"1.0040s", 1004000000, "1.004s"},
    {"100.00100s", 100001000000, "1m40.001s"},
    {"10ns", 10, "10ns"},
    {"11us", 11000, "11\xC2\xB5s"},
    {"12\xC2\xB5s", 12000, "12\xC2\xB5s"},
    {"12\xCE\xBCs", 12000, "12\xC2\xB5s"},
    {"13ms", 13000000, "13ms"},
    {"15m", 900000000000, "15m0s"},
    {"16h", 57600000000000, "16h0m0s"},
    {"3h30m", 12600000000000, "3h30m0s"},
    {"10.5s4m", 250500000000, "4m10.5s"},
    {"-2m3.4s", -123400000000, "-2m3.4s"},
    {"1h2m3s4ms5us6ns", 3723004005006, "1h2m3.004005006s"},
    {"39h9m14.425s", 140954425000000, "39h9m14.425s"},
    {"52763797000ns", 52763797000, "52.763797s"},
    {"0.3333333333333333333h", 1200000000000, "20m0s"},
    {"9007199254740993ns", 9007199254740993, "2501h59m59.254740993s"},
    {"9223372036854775807ns", INT64_MAX, "2562047h47m16.854775807s"},
    {"9223372036854775.807us", INT64_MAX, "2562047h47m16.854775807s"},
    {"-9223372036854775808ns", INT64_MIN, "-2562047h47m16.854775808s"},
    {"1.5h", 5400000000000, "1h30m0s"},
    {"90m", 5400000000000, "1h30m0s"},
    {"2h30m", 9000000000000, "2h30m0s"},
    {"300ms", 300000000, "300ms"},
    {"1h0m0s", 3600000000000, "1h0m0s"},
    {"0.5ms", 500000, "500\xC2\xB5s"},
    {"1.1us", 1100, "1.1\xC2\xB5s"},
    {"720h", 2592000000000000, "720h0m0s"},
};

struct DurationErrorRow {
  const char* text;
  const char* error;
};

const DurationErrorRow kDurationErrorRows[] = {
    {"", "time: invalid duration \"\""},
    {"3", "time: missing unit in duration \"3\""},
    {"1.5", "time: missing unit in duration \"1.5\""},
    {"-", "time: invalid duration \"-\""},
    {"s", "time: invalid duration \"s\""},
    {".", "time: invalid duration \".\""},
    {"-.", "time: invalid duration \"-.\""},
    {".s", "time: invalid duration \".s\""},
    {"+.s", "time: invalid duration \"+.s\""},
    {"1d", "time: unknown unit \"d\" in duration \"1d\""},
    {"2x", "time: unknown unit \"x\" in duration \"2x\""},
    {"5s ", "time: unknown unit \"s \" in duration \"5s \""},
    {"1\xC2\xB5", "time: unknown unit \"\\xc2\\xb5\" in duration \"1\\xc2\\xb5\""},
    {"1h\"", "time: unknown unit \"h\\\"\" in duration \"1h\\\"\""},
    {"3000000h", "time: invalid duration \"3000000h\""},
    {"9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""},
    {"9223372036854775.808us", "time: invalid duration \"9223372036854775.808us\""},
    {"9223372036854ms775us808ns", "time: invalid duration \"9223372036854ms775us808ns\""},
    {"-9223372036854775809ns", "time: invalid duration \"-9223372036854775809ns\""},
};

}  // namespace

TEST_CASE("Go durations parse and print as Go does", "[core][duration]") {
  for (const auto& row : kDurationRows) {
    INFO("duration " << row.text);
    auto d = parseDuration(row.text);
    REQUIRE(d.ok());
    CHECK(d->count() == row.nanos);
    CHECK(formatDuration(*d) == row.formatted);
  }
}

TEST_CASE("malformed durations give Go's messages", "[core][duration]") {
  for (const auto& row : kDurationErrorRows) {
    INFO("duration \"" << row.text << "\"");
    auto d = parseDuration(row.text);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error() == row.error);
  }
}

TEST_CASE("durations below a second print in the smallest fitting unit", "[core][duration]") {
  CHECK(formatDuration(Duration(1)) == "1ns");
  CHECK(formatDuration(Duration(1100)) == "1.1\xC2\xB5s");
  CHECK(formatDuration(Duration(2200000)) == "2.2ms");
  CHECK(formatDuration(Duration(3300000000)) == "3.3s");
  CHECK(formatDuration(Duration(-4400000)) == "-4.4ms");
}
