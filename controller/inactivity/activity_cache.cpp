#include "controller/inactivity/activity_cache.h"

#include <utility>

namespace sessiongate::controller {

ActivityCache::ActivityCache(TrackerReader& reader, const Clock& clock, std::chrono::nanoseconds maxAge)
    : reader_(reader), clock_(clock), maxAge_(maxAge) {}

std::vector<TrackerReading> ActivityCache::readings() {
  std::lock_guard<std::mutex> guard(mu_);
  const WallTime now = clock_.wallNow();
  // A clock that went back counts as stale too.
  if (!readAt_ || now < *readAt_ || now - *readAt_ >= maxAge_) {
    last_ = reader_.read(std::nullopt);
    readAt_ = now;
  }
  return last_;
}

}  // namespace sessiongate::controller
