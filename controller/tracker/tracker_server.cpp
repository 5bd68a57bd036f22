#include "controller/tracker/tracker_server.h"

#include <httplib.h>

#include <chrono>

namespace sessiongate::tracker {

TrackerServer::TrackerServer(TrackerSources sources)
    : sources_(std::move(sources)), server_(std::make_unique<httplib::Server>()) {
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(renderMetrics(sources_.table->entries(), sources_.classifier->counts(),
                                  sources_.table->refused(), sources_.captures()),
                    "text/plain; version=0.0.4");
  });
  server_->Get("/activity", [this](const httplib::Request& req, httplib::Response& res) {
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
  server_->Get("/healthz",
               [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  server_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    bool any = false;
    for (const CaptureStatus& c : sources_.captures()) any = any || c.capturing;
    res.status = any ? 200 : 503;
    res.set_content(any ? "ok" : "no interface is being captured", "text/plain");
  });
}

TrackerServer::~TrackerServer() {
  stop();
}

Result<int> TrackerServer::start(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return Error{"--listen " + listen + ": expected HOST:PORT"};
  std::string host = listen.substr(0, colon);
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    return Error{"--listen " + listen + ": the port is not a number"};
  }
  if (port == 0) {
    port = server_->bind_to_any_port(host);
  } else if (!server_->bind_to_port(host, port)) {
    port = -1;
  }
  if (port < 0) return Error{"--listen " + listen + ": cannot bind (in use, or not a local address)"};
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib's stop() is lost when it comes before the listen loop starts (the loop would then run on and
  // stop() would wait for it forever), so return only once the server is running.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return port;
}

void TrackerServer::stop() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sessiongate::tracker
