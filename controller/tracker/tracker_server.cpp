#include "controller/tracker/tracker_server.h"

#include <httplib.h>

#include <utility>

namespace sessiongate::tracker {

TrackerServer::TrackerServer(TrackerSources sources)
    : sources_(std::move(sources)) {
  server_.routes().Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(renderMetrics(sources_.table->entries(), sources_.classifier->counts(),
                                  sources_.table->refused(), sources_.captures()),
                    "text/plain; version=0.0.4");
  });
  server_.routes().Get("/activity", [this](const httplib::Request& req, httplib::Response& res) {
    std::optional<WallTime> since;
    if (req.has_param("since")) {
      auto parsed = parseSince(req.get_param_value("since"));
      if (!parsed) {
        res.status = 400;
        res.set_content(parsed.error() + "\n", "text/plain");
        return;
      }
      since = *parsed;
    }
    res.set_content(renderActivity(sources_.name, sources_.now(), since, sources_.table->entries(since),
                                   sources_.captures()),
                    "application/json");
  });
  server_.routes().Get("/healthz",
               [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  server_.routes().Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    bool any = false;
    for (const CaptureStatus& c : sources_.captures()) any = any || c.capturing;
    res.status = any ? 200 : 503;
    res.set_content(any ? "ok" : "no interface is being captured", "text/plain");
  });
}

}  // namespace sessiongate::tracker
