#pragma once
// Kubernetes timestamps: metav1.Time is RFC 3339 in UTC with second precision ("2024-05-01T10:00:00Z"),
// metav1.MicroTime (Leases) has six fractional digits. WallClock is the seam tests use to fix "now".
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sessiongate::controller {

// WallTime is a point in calendar time.
using WallTime = std::chrono::system_clock::time_point;
// WallClock returns the current calendar time.
using WallClock = std::function<WallTime()>;

// systemWallClock is the real clock.
WallClock systemWallClock();
// parseTimestamp reads "YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm)"; nullopt when malformed.
std::optional<WallTime> parseTimestamp(std::string_view text);
// formatTimestamp renders metav1.Time, "2024-05-01T10:00:00Z" (fractions dropped).
std::string formatTimestamp(WallTime t);
// formatMicroTime renders metav1.MicroTime, "2024-05-01T10:00:00.123456Z".
std::string formatMicroTime(WallTime t);

}  // namespace sessiongate::controller
