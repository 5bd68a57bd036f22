#pragma once
// observeActivity maps what the trackers saw to one session: connection attempts to any port of the
// session's pod IPs, or to one of its exposed IP:port pairs, are its activity. Whether every tracker could
// be read and was capturing is kept beside the answer, because no data is not inactivity. Pure logic.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controller/tracker/activity_table.h"
#include "core/ip_pool.h"

namespace sessiongate::controller {

// SessionEndpoints are the addresses a session's users connect to.
struct SessionEndpoints {
  std::vector<IpAddress> podIps;                             // any port counts
  std::vector<std::pair<IpAddress, std::uint16_t>> exposed;  // the public address and port (TCP)
};

// TrackerReading is one tracker's answer, or why there is none.
struct TrackerReading {
  std::string source;  // the tracker's URL, for messages
  bool read = false;   // the answer came and parsed
  bool capturing = false;
  std::string problem;  // why not read, or which interface is not captured
  std::vector<tracker::ActivityEntry> destinations;
};

// ObservedActivity is the session's latest activity across every tracker.
struct ObservedActivity {
  std::optional<tracker::WallTime> latest;  // nullopt: no tracker saw a connection to the session
  bool complete = false;                    // every tracker was read and capturing (and there was one)
  std::string problem;                      // when not complete: which tracker and why, for the status
};

// observeActivity combines the readings for the session's endpoints.
ObservedActivity observeActivity(const SessionEndpoints& endpoints,
                                 const std::vector<TrackerReading>& readings);

}  // namespace sessiongate::controller
