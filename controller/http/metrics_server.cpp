#include "controller/http/metrics_server.h"

#include <utility>

namespace sessiongate::controller {

MetricsServer::MetricsServer(const ControllerMetrics& metrics, std::function<bool()> ready)
    : metrics_(metrics), ready_(std::move(ready)) {
  server_.get("/metrics", [this](const PlainRequest&) {
    return PlainResponse{200, "text/plain; version=0.0.4", metrics_.render()};
  });
  server_.get("/healthz", [](const PlainRequest&) { return PlainResponse{200, "text/plain", "ok"}; });
  server_.get("/readyz", [this](const PlainRequest&) {
    const bool isReady = !ready_ || ready_();
    return PlainResponse{isReady ? 200 : 503, "text/plain", isReady ? "ok" : "informers not synced"};
  });
}

}  // namespace sessiongate::controller
