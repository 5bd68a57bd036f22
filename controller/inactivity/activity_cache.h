#pragma once
// ActivityCache reads every tracker at most once per round (maxAge) and gives every reconcile of that round
// the same readings: a hundred sessions reconciled in a burst cost one GET per tracker, not a hundred. The
// reader's own timeout bounds how long a reconcile waits (one worker reads while the others wait for it).
#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

#include "controller/inactivity/tracker_reader.h"
#include "core/timestamps.h"

namespace sessiongate::controller {

class ActivityCache {
 public:
  ActivityCache(TrackerReader& reader, const Clock& clock, std::chrono::nanoseconds maxAge);
  // readings are the last readings if younger than maxAge, else fresh ones.
  std::vector<TrackerReading> readings();

 private:
  TrackerReader& reader_;
  const Clock& clock_;
  std::chrono::nanoseconds maxAge_;
  std::mutex mu_;
  std::optional<WallTime> readAt_;
  std::vector<TrackerReading> last_;
};

}  // namespace sessiongate::controller
