#include "controller/inactivity/tracker_reader.h"

#include <httplib.h>

#include <future>
#include <utility>

#include "controller/tracker/activity_report.h"

namespace sessiongate::controller {

TrackerReading readingFromBody(const std::string& source, std::string_view body) {
  TrackerReading reading;
  reading.source = source;
  auto activity = tracker::parseActivity(body);
  if (!activity) {
    reading.problem = activity.error();
    return reading;
  }
  reading.read = true;
  reading.capturing = activity->capturing;
  for (const tracker::CaptureStatus& i : activity->interfaces) {
    if (i.capturing) continue;
    if (!reading.problem.empty()) reading.problem += "; ";
    reading.problem +=
        "interface " + i.interface + " is not captured" + (i.lastError.empty() ? "" : ": " + i.lastError);
  }
  if (activity->interfaces.empty()) reading.problem = "the tracker captures no interface";
  reading.destinations = std::move(activity->destinations);
  return reading;
}

HttpTrackerReader::HttpTrackerReader(std::vector<std::string> urls, std::chrono::milliseconds timeout)
    : targets_([targets = fixedTargets(urls)] { return targets; }), timeout_(timeout) {}

HttpTrackerReader::HttpTrackerReader(TrackerTargets targets, std::chrono::milliseconds timeout)
    : targets_(std::move(targets)), timeout_(timeout) {}

std::vector<TrackerReading> HttpTrackerReader::read(std::optional<tracker::WallTime> since) {
  // In parallel: a round with one tracker down costs one timeout, not one per tracker.
  std::vector<std::future<TrackerReading>> pending;
  for (const TrackerTarget& target : targets_()) {
    if (!target.url) {
      pending.push_back(std::async(std::launch::deferred, [target] {
        TrackerReading reading;
        reading.source = target.source;
        reading.problem = target.problem;
        return reading;
      }));
      continue;
    }
    pending.push_back(std::async(std::launch::async, [url = *target.url, since, timeout = timeout_] {
      return readOne(url, since, timeout);
    }));
  }
  std::vector<TrackerReading> readings;
  for (auto& reading : pending) readings.push_back(reading.get());
  return readings;
}

TrackerReading HttpTrackerReader::readOne(const std::string& url, std::optional<tracker::WallTime> since,
                                          std::chrono::milliseconds timeout) {
  TrackerReading reading;
  reading.source = url;
  httplib::Client client(url);
  if (!client.is_valid()) {
    reading.problem = "not a valid tracker URL (expected http://HOST:PORT)";
    return reading;
  }
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  std::string path = "/activity";
  if (since) path += "?since=" + formatTimestamp(*since, TimestampPrecision::Micros);
  auto response = client.Get(path);
  if (!response) {
    reading.problem = "cannot read /activity: " + httplib::to_string(response.error());
    return reading;
  }
  if (response->status != 200) {
    reading.problem = "/activity answered HTTP " + std::to_string(response->status);
    return reading;
  }
  return readingFromBody(url, response->body);
}

}  // namespace sessiongate::controller
