#include "controller/inactivity/tracker_reader.h"

#include <httplib.h>

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
    : urls_(std::move(urls)), timeout_(timeout) {}

std::vector<TrackerReading> HttpTrackerReader::read(std::optional<tracker::WallTime> since) {
  std::vector<TrackerReading> readings;
  for (const std::string& url : urls_) readings.push_back(readOne(url, since, timeout_));
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
  if (since) path += "?since=" + tracker::formatTime(*since);
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
