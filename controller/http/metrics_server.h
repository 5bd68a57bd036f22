#pragma once
// MetricsServer serves plain HTTP: GET /metrics (Prometheus text), /healthz (the process is alive) and
// /readyz (the informers have synced; non-leaders are ready too, so a standby can take over).
#include <functional>
#include <string>

#include "controller/http/metrics.h"
#include "core/plain_http_server.h"
#include "core/result.h"

namespace sessiongate::controller {

// MetricsServer runs on its own thread between start and stop.
class MetricsServer {
 public:
  MetricsServer(const ControllerMetrics& metrics, std::function<bool()> ready);
  // start binds listen ("host:port"; port 0 picks one) and serves; the error says what could not be bound.
  Result<int> start(const std::string& listen) { return server_.start("--metrics-listen", listen); }
  void stop() { server_.stop(); }

 private:
  const ControllerMetrics& metrics_;
  std::function<bool()> ready_;
  PlainHttpServer server_;
};

}  // namespace sessiongate::controller
