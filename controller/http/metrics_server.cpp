#include "controller/http/metrics_server.h"

#include <httplib.h>

#include <utility>

namespace sessiongate::controller {

MetricsServer::MetricsServer(const ControllerMetrics& metrics, std::function<bool()> ready)
    : metrics_(metrics), ready_(std::move(ready)) {
  server_.routes().Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.render(), "text/plain; version=0.0.4");
  });
  server_.routes().Get("/healthz",
               [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  server_.routes().Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    bool isReady = !ready_ || ready_();
    res.status = isReady ? 200 : 503;
    res.set_content(isReady ? "ok" : "informers not synced", "text/plain");
  });
}

}  // namespace sessiongate::controller
