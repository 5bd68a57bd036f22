#pragma once
// TrackerServer is the tracker's plain-HTTP endpoint: GET /metrics, GET /activity?since=, GET /healthz and
// GET /readyz (ready while at least one interface is capturing). It only renders what its sources return.
#include <functional>
#include <string>
#include <vector>

#include "controller/tracker/activity_report.h"
#include "core/clock.h"
#include "core/plain_http_server.h"
#include "core/result.h"

namespace sessiongate::tracker {

// TrackerSources are what the server reads on each request.
struct TrackerSources {
  std::string name;
  const ActivityTable* table = nullptr;
  const FrameClassifier* classifier = nullptr;
  std::function<std::vector<CaptureStatus>()> captures;
  // clock gives the "now" of /activity answers.
  const Clock* clock = &realClock();
};

// TrackerServer serves on its own thread between start and stop.
class TrackerServer {
 public:
  explicit TrackerServer(TrackerSources sources);
  // start binds listen ("host:port", "[::]:port"; port 0 picks one) and returns the port.
  Result<int> start(const std::string& listen) { return server_.start("--listen", listen); }
  void stop() { server_.stop(); }

 private:
  TrackerSources sources_;
  PlainHttpServer server_;
};

}  // namespace sessiongate::tracker
