#pragma once
// Go durations (`90m`, `2h30m`, `1.5h`, `300ms`): parsed and printed exactly as Go's time.ParseDuration and
// Duration.String do, since users write them in the same fields Kubernetes tooling writes.
#include <string>
#include <string_view>

#include "core/policy.h"
#include "core/result.h"

namespace sessiongate {

// parseDuration reads a Go duration; the error is Go's own message, e.g.
// `time: unknown unit "d" in duration "1d"`.
Result<Duration> parseDuration(std::string_view text);

// formatDuration renders a duration the way Go's Duration.String does: "1h30m0s", "1.5s", "300ms", "0s".
std::string formatDuration(Duration d);

}  // namespace sessiongate
