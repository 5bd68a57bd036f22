#pragma once
// TrackerReader is the controller's seam to the trackers: one reading per tracker, each either the parsed
// /activity answer or why there is none. HttpTrackerReader reads the trackers its target list names at
// that moment (the --tracker-url URLs and those found by --tracker-selector) over plain HTTP with a short
// timeout, all at once; tests use a fake reader or a real TrackerServer on 127.0.0.1.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/inactivity/session_activity.h"
#include "controller/inactivity/tracker_endpoints.h"

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

// TrackerTargets lists the trackers to read now.
using TrackerTargets = std::function<std::vector<TrackerTarget>()>;

// HttpTrackerReader reads `GET <url>/activity?since=` from each target's URL ("http://10.0.0.4:9470"), in
// parallel; a target without a URL is a reading with its problem.
class HttpTrackerReader : public TrackerReader {
 public:
  HttpTrackerReader(std::vector<std::string> urls, std::chrono::milliseconds timeout);
  HttpTrackerReader(TrackerTargets targets, std::chrono::milliseconds timeout);
  std::vector<TrackerReading> read(std::optional<tracker::WallTime> since) override;

  // readOne is one tracker's reading.
  static TrackerReading readOne(const std::string& url, std::optional<tracker::WallTime> since,
                                std::chrono::milliseconds timeout);

 private:
  TrackerTargets targets_;
  std::chrono::milliseconds timeout_;
};

}  // namespace sessiongate::controller
