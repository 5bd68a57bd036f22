#include "controller/inactivity/session_activity.h"

#include <algorithm>

namespace sessiongate::controller {

namespace {

bool belongs(const SessionEndpoints& endpoints, const tracker::ActivityEntry& entry) {
  if (std::find(endpoints.podIps.begin(), endpoints.podIps.end(), entry.destination) !=
      endpoints.podIps.end())
    return true;
  return std::find(endpoints.exposed.begin(), endpoints.exposed.end(),
                   std::make_pair(entry.destination, entry.port)) != endpoints.exposed.end();
}

}  // namespace

ObservedActivity observeActivity(const SessionEndpoints& endpoints,
                                 const std::vector<TrackerReading>& readings) {
  ObservedActivity observed;
  observed.complete = !readings.empty();
  if (readings.empty()) observed.problem = "no activity tracker is configured or found";
  for (const TrackerReading& reading : readings) {
    if (!reading.read || !reading.capturing) {
      observed.complete = false;
      if (!observed.problem.empty()) observed.problem += "; ";
      observed.problem += "tracker " + reading.source + ": " +
                          (reading.problem.empty() ? std::string(reading.read ? "not capturing" : "not read")
                                                   : reading.problem);
    }
    // A tracker that answers but lost an interface still saw what it saw on the others.
    for (const tracker::ActivityEntry& entry : reading.destinations) {
      if (!belongs(endpoints, entry)) continue;
      if (!observed.latest || entry.lastSeen > *observed.latest) observed.latest = entry.lastSeen;
    }
  }
  return observed;
}

}  // namespace sessiongate::controller
