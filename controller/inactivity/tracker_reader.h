#pragma once
// TrackerReader is the controller's seam to the trackers: one reading per tracker, each either the parsed
// /activity answer or why there is none. HttpTrackerReader reads a fixed list of base URLs (the
// --tracker-urls flag) over plain HTTP with a short timeout; tests use a fake reader or a real
// TrackerServer on 127.0.0.1.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/inactivity/session_activity.h"

namespace sessiongate::controller {

// TrackerReader returns one reading per tracker it knows.
class TrackerReader {
 public:
  virtual ~TrackerReader() = default;
  // read asks every tracker for the destinations seen since `since` (all without).
  virtual std::vector<TrackerReading> read(std::optional<tracker::WallTime> since) = 0;
};

// readingFromBody turns one tracker's /activity answer into its reading (read, capturing, which interface
// is not captured, the destinations); a body that does not parse is a reading with the problem.
TrackerReading readingFromBody(const std::string& source, std::string_view body);

// HttpTrackerReader reads `GET <url>/activity?since=` from each URL ("http://10.0.0.4:9470").
class HttpTrackerReader : public TrackerReader {
 public:
  HttpTrackerReader(std::vector<std::string> urls, std::chrono::milliseconds timeout);
  std::vector<TrackerReading> read(std::optional<tracker::WallTime> since) override;

  // readOne is one tracker's reading.
  static TrackerReading readOne(const std::string& url, std::optional<tracker::WallTime> since,
                                std::chrono::milliseconds timeout);

 private:
  std::vector<std::string> urls_;
  std::chrono::milliseconds timeout_;
};

}  // namespace sessiongate::controller
