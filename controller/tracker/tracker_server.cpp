#include "controller/tracker/tracker_server.h"

#include <utility>

namespace sessiongate::tracker {

TrackerServer::TrackerServer(TrackerSources sources) : sources_(std::move(sources)) {
  server_.get("/metrics", [this](const PlainRequest&) {
    return PlainResponse{200, "text/plain; version=0.0.4",
                         renderMetrics(sources_.table->entries(), sources_.classifier->counts(),
                                       sources_.table->refused(), sources_.captures())};
  });
  server_.get("/activity", [this](const PlainRequest& request) {
    std::optional<WallTime> since;
    if (request.has("since")) {
      auto parsed = parseSince(request.query.at("since"));
      if (!parsed) return PlainResponse{400, "text/plain", parsed.error() + "\n"};
      since = *parsed;
    }
    return PlainResponse{200, "application/json",
                         renderActivity(sources_.name, sources_.clock->wallNow(), since, sources_.table->entries(since),
                                        sources_.captures())};
  });
  server_.get("/healthz", [](const PlainRequest&) { return PlainResponse{200, "text/plain", "ok"}; });
  server_.get("/readyz", [this](const PlainRequest&) {
    bool any = false;
    for (const CaptureStatus& c : sources_.captures()) any = any || c.capturing;
    return PlainResponse{any ? 200 : 503, "text/plain", any ? "ok" : "no interface is being captured"};
  });
}

}  // namespace sessiongate::tracker
