#include "controller/tracker/activity_table.h"

namespace sessiongate::tracker {

bool ActivityTable::record(const IpAddress& destination, std::uint16_t port, WallTime seen) {
  std::lock_guard<std::mutex> guard(mu_);
  auto key = std::make_pair(destination, port);
  auto it = table_.find(key);
  if (it == table_.end()) {
    if (table_.size() >= maxEntries_) {
      ++refused_;
      return false;
    }
    it = table_.emplace(key, Counts{}).first;
  }
  ++it->second.connections;
  // Captures on several interfaces interleave; the latest time wins whatever the order of arrival.
  if (seen > it->second.lastSeen) it->second.lastSeen = seen;
  return true;
}

std::vector<ActivityEntry> ActivityTable::entries(std::optional<WallTime> since) const {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<ActivityEntry> out;
  for (const auto& [key, counts] : table_) {
    if (since && counts.lastSeen < *since) continue;
    out.push_back(ActivityEntry{key.first, key.second, counts.connections, counts.lastSeen});
  }
  return out;
}

std::uint64_t ActivityTable::refused() const {
  std::lock_guard<std::mutex> guard(mu_);
  return refused_;
}

}  // namespace sessiongate::tracker
