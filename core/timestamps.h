#pragma once
// RFC 3339 timestamps, the one parser and the one formatter of every component. Kubernetes writes
// metav1.Time as "2024-05-01T10:00:00Z" (seconds, UTC) and metav1.MicroTime (Leases, Events) with six
// fractional digits; the tracker's /activity uses six digits too. Parsing follows Go's time.Parse with
// time.RFC3339: fractions of any length, offsets ±hh:mm, a lowercase t or z, every field range checked (day
// within its month, leap years), and no leap second (second 60), which Go refuses too. Instants outside what
// a WallTime holds (1677-09-21 to 2262-04-11, nanoseconds in 64 bits) are refused, never wrapped.
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace sessiongate {

// TimestampPrecision is how many fractional digits formatTimestamp writes.
enum class TimestampPrecision {
  Seconds,  // metav1.Time: "2024-05-01T10:00:00Z", fractions dropped
  Micros,   // metav1.MicroTime: "2024-05-01T10:00:00.123456Z"
};

// parseTimestamp reads "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)"; nullopt when malformed or out of range.
std::optional<WallTime> parseTimestamp(std::string_view text);

// formatTimestamp renders t in UTC at the given precision (fractions are truncated, never rounded up).
std::string formatTimestamp(WallTime t, TimestampPrecision precision = TimestampPrecision::Seconds);

}  // namespace sessiongate
