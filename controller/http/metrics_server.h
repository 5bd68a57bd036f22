#pragma once
// MetricsServer serves plain HTTP: GET /metrics (Prometheus text), /healthz (the process is alive) and
// /readyz (the informers have synced; non-leaders are ready too, so a standby can take over).
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "controller/http/metrics.h"
#include "core/result.h"

namespace httplib {
class Server;
}

namespace sessiongate::controller {

// MetricsServer runs on its own thread between start and stop.
class MetricsServer {
 public:
  MetricsServer(const ControllerMetrics& metrics, std::function<bool()> ready);
  ~MetricsServer();
  // start binds listen ("host:port"; port 0 picks one) and serves; the error says what could not be bound.
  Result<int> start(const std::string& listen);
  void stop();

 private:
  const ControllerMetrics& metrics_;
  std::function<bool()> ready_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace sessiongate::controller
