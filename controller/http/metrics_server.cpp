#include "controller/http/metrics_server.h"

#include <httplib.h>

#include <utility>

namespace sessiongate::controller {

MetricsServer::MetricsServer(const ControllerMetrics& metrics, std::function<bool()> ready)
    : metrics_(metrics), ready_(std::move(ready)), server_(std::make_unique<httplib::Server>()) {
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.render(), "text/plain; version=0.0.4");
  });
  server_->Get("/healthz",
               [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  server_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    bool isReady = !ready_ || ready_();
    res.status = isReady ? 200 : 503;
    res.set_content(isReady ? "ok" : "informers not synced", "text/plain");
  });
}

MetricsServer::~MetricsServer() {
  stop();
}

Result<int> MetricsServer::start(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return Error{"--metrics-listen " + listen + ": expected HOST:PORT"};
  std::string host = listen.substr(0, colon);
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    return Error{"--metrics-listen " + listen + ": the port is not a number"};
  }
  if (port == 0) {
    port = server_->bind_to_any_port(host);
  } else if (!server_->bind_to_port(host, port)) {
    port = -1;
  }
  if (port < 0) return Error{"--metrics-listen " + listen + ": cannot bind (in use, or not a local address)"};
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return port;
}

void MetricsServer::stop() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sessiongate::controller
