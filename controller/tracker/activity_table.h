#pragma once
// ActivityTable counts connection attempts per destination address and port and remembers when the last one
// was seen (the capture timestamp of the packet, not the time it was processed). Bounded: past maxEntries
// new destinations are refused and counted, existing ones keep counting. Thread-safe.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/ip_pool.h"

namespace sessiongate::tracker {

// Capture timestamps are calendar time: core's WallTime.
using sessiongate::WallTime;

// ActivityEntry is one destination's count and last-seen time.
struct ActivityEntry {
  IpAddress destination;
  std::uint16_t port = 0;
  std::uint64_t connections = 0;
  WallTime lastSeen;
  bool operator==(const ActivityEntry&) const = default;
};

// ActivityTable is the tracker's state.
class ActivityTable {
 public:
  explicit ActivityTable(std::size_t maxEntries) : maxEntries_(maxEntries) {}

  // record counts one connection attempt at `seen`; false when the table is full and the destination new.
  bool record(const IpAddress& destination, std::uint16_t port, WallTime seen);
  // entries are the destinations last seen at or after `since` (all without), by address then port.
  std::vector<ActivityEntry> entries(std::optional<WallTime> since = std::nullopt) const;
  // refused is how many attempts were not counted because the table was full.
  std::uint64_t refused() const;

 private:
  struct Counts {
    std::uint64_t connections = 0;
    WallTime lastSeen;
  };
  const std::size_t maxEntries_;
  mutable std::mutex mu_;
  std::map<std::pair<IpAddress, std::uint16_t>, Counts> table_;
  std::uint64_t refused_ = 0;
};

}  // namespace sessiongate::tracker
