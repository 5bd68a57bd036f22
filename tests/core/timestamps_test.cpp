// core/timestamps: the one RFC 3339 parser and formatter. Valid forms (fractions, offsets, lowercase t and z)
// and every refusal (leap second, out-of-range fields, days past the month's end, malformed shapes).
#include "core/timestamps.h"

#include <catch2/catch.hpp>

namespace sessiongate {
namespace {

// at is seconds and nanoseconds since the epoch as a WallTime.
WallTime at(long long seconds, long long nanos = 0) {
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::seconds(seconds) +
                                                                 std::chrono::nanoseconds(nanos)));
}

constexpr long long kNoon = 1796317200;  // 2026-12-03T17:00:00Z

}  // namespace

TEST_CASE("valid RFC 3339 timestamps parse to the instant they name", "[core][timestamps]") {
  struct Row {
    const char* text;
    WallTime expected;
  };
  const Row rows[] = {
      {"2026-12-03T17:00:00Z", at(kNoon)},
      {"2026-12-03t17:00:00z", at(kNoon)},
      {"2026-12-03T17:00:00.5Z", at(kNoon, 500'000'000)},
      {"2026-12-03T17:00:00.250000Z", at(kNoon, 250'000'000)},
      {"2026-12-03T17:00:00.123456789Z", at(kNoon, 123'456'789)},
      {"2026-12-03T17:00:00.1234567891Z", at(kNoon, 123'456'789)},  // past nanoseconds: truncated, as Go does
      {"2026-12-03T18:30:00+01:30", at(kNoon)},
      {"2026-12-03T12:00:00-05:00", at(kNoon)},
      {"2026-12-03T17:00:00+00:00", at(kNoon)},
      {"2026-12-03T17:00:00-00:00", at(kNoon)},
      {"2026-12-04T16:59:00+23:59", at(kNoon)},
      {"1970-01-01T00:00:00Z", at(0)},
      {"1969-12-31T23:59:59Z", at(-1)},
      {"2024-02-29T00:00:00Z", at(1709164800)},  // leap year
      {"2000-02-29T00:00:00Z", at(951782400)},   // divisible by 400: leap
      {"2026-12-31T23:59:59Z", at(1798761599)},
      {"2262-01-01T00:00:00Z", at(9214646400)},
      {"1678-01-01T00:00:00Z", at(-9214560000)},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    auto parsed = parseTimestamp(row.text);
    REQUIRE(parsed);
    CHECK(parsed->time_since_epoch().count() == row.expected.time_since_epoch().count());
  }
}

TEST_CASE("malformed or out-of-range timestamps are refused", "[core][timestamps]") {
  for (const char* text : {
           "",
           "2026-12-03",
           "2026-12-03T17:00:00",        // no zone
           "2026-12-03 17:00:00Z",       // space for T
           "2026-12-03T17:00Z",          // no seconds
           "2026-12-03T17:00:60Z",       // leap second: refused, as Go does
           "2016-12-31T23:59:60Z",       // even on a real leap second
           "2026-13-01T00:00:00Z",       // month
           "2026-00-01T00:00:00Z",       // month
           "2026-12-00T00:00:00Z",       // day
           "2026-12-32T00:00:00Z",       // day
           "2026-02-29T00:00:00Z",       // not a leap year
           "1900-02-29T00:00:00Z",       // divisible by 100, not by 400
           "2026-04-31T00:00:00Z",       // April has 30 days
           "2026-12-03T24:00:00Z",       // hour
           "2026-12-03T17:60:00Z",       // minute
           "2026-12-03T17:00:00.Z",      // empty fraction
           "2026-12-03T17:00:00,5Z",     // comma fraction
           "2026-12-03T17:00:00+0100",   // offset without colon
           "2026-12-03T17:00:00+01",     // offset without minutes
           "2026-12-03T17:00:00+24:00",  // offset hours
           "2026-12-03T17:00:00+01:60",  // offset minutes
           "2026-12-03T17:00:00ZZ",      // trailing
           "2026-12-03T17:00:00Z ",      // trailing space
           " 2026-12-03T17:00:00Z",      // leading space
           "+2026-12-03T17:00:00Z",      // sign
           "26-12-03T17:00:00Z",         // two-digit year
           "2026-1-03T17:00:00Z",        // one-digit month
           "2026-12-03T17:00:00.5+01:00x",
           "9999-12-31T23:59:59Z",  // past what a WallTime holds (2262-04-11): refused, not wrapped
           "2263-01-01T00:00:00Z",
           "1677-01-01T00:00:00Z",
       }) {
    INFO('"' << text << '"');
    CHECK_FALSE(parseTimestamp(text));
  }
}

TEST_CASE("timestamps format in UTC at seconds or microseconds and parse back", "[core][timestamps]") {
  struct Row {
    WallTime t;
    const char* seconds;
    const char* micros;
  };
  const Row rows[] = {
      {at(kNoon), "2026-12-03T17:00:00Z", "2026-12-03T17:00:00.000000Z"},
      {at(kNoon, 250'000'999), "2026-12-03T17:00:00Z", "2026-12-03T17:00:00.250000Z"},  // truncated
      {at(kNoon, 999'999'999), "2026-12-03T17:00:00Z", "2026-12-03T17:00:00.999999Z"},
      {at(0), "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000Z"},
      {at(-1, 500'000'000), "1969-12-31T23:59:59Z", "1969-12-31T23:59:59.500000Z"},
      {at(1709164800), "2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000000Z"},
      {at(9214646400), "2262-01-01T00:00:00Z", "2262-01-01T00:00:00.000000Z"},
      {at(-9214560000), "1678-01-01T00:00:00Z", "1678-01-01T00:00:00.000000Z"},
  };
  for (const Row& row : rows) {
    INFO(row.seconds);
    CHECK(formatTimestamp(row.t) == row.seconds);
    CHECK(formatTimestamp(row.t, TimestampPrecision::Seconds) == row.seconds);
    CHECK(formatTimestamp(row.t, TimestampPrecision::Micros) == row.micros);
    CHECK(formatTimestamp(*parseTimestamp(row.micros), TimestampPrecision::Micros) == row.micros);
    CHECK(formatTimestamp(*parseTimestamp(row.seconds)) == row.seconds);
  }
}

}  // namespace sessiongate
