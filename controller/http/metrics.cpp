#include "controller/http/metrics.h"

#include "core/metrics_text.h"

namespace sessiongate::controller {

ControllerMetrics::ControllerMetrics()
    : bounds_{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}, buckets_(bounds_.size(), 0) {}

void ControllerMetrics::recordReconcile(const std::string& result, double seconds) {
  std::lock_guard<std::mutex> guard(mu_);
  ++reconciles_[result];
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (seconds <= bounds_[i]) ++buckets_[i];
  }
  ++count_;
  sum_ += seconds;
}

void ControllerMetrics::recordApiRequest(const std::string& verb, int code) {
  std::lock_guard<std::mutex> guard(mu_);
  ++requests_[{verb, code}];
}

void ControllerMetrics::recordSessionEnded(const std::string& reason) {
  std::lock_guard<std::mutex> guard(mu_);
  ++ended_[reason];
}

void ControllerMetrics::setQueueDepth(std::function<std::size_t()> depth) {
  std::lock_guard<std::mutex> guard(mu_);
  depth_ = std::move(depth);
}

std::string ControllerMetrics::render() const {
  std::lock_guard<std::mutex> guard(mu_);
  MetricsText out;
  out.family("sessiongate_controller_reconcile_total", MetricType::Counter, "Reconciles of UserSessions by result.");
  for (const char* result : {"success", "requeue", "error"}) {
    auto it = reconciles_.find(result);
    out.sample("sessiongate_controller_reconcile_total", {{"result", result}},
               it == reconciles_.end() ? std::uint64_t{0} : it->second);
  }
  out.family("sessiongate_controller_reconcile_duration_seconds", MetricType::Histogram,
             "Time one reconcile took.");
  out.histogram("sessiongate_controller_reconcile_duration_seconds", {}, bounds_, buckets_, count_, sum_);
  out.family("sessiongate_controller_workqueue_depth", MetricType::Gauge, "Session names waiting to be reconciled.");
  out.sample("sessiongate_controller_workqueue_depth", {}, depth_ ? depth_() : std::size_t{0});
  out.family("sessiongate_controller_api_requests_total", MetricType::Counter,
             "API requests made by reconciles, by verb and code.");
  for (const auto& [key, value] : requests_) {
    std::string code = std::to_string(key.second);
    out.sample("sessiongate_controller_api_requests_total", {{"verb", key.first}, {"code", code}}, value);
  }
  out.family("sessiongate_controller_sessions_ended_total", MetricType::Counter,
             "Sessions the controller ended, by reason.");
  for (const char* reason : {"expired", "idle"}) {
    auto it = ended_.find(reason);
    out.sample("sessiongate_controller_sessions_ended_total", {{"reason", reason}},
               it == ended_.end() ? std::uint64_t{0} : it->second);
  }
  out.family("sessiongate_controller_leader", MetricType::Gauge, "1 while this replica holds the leader lease.");
  out.sample("sessiongate_controller_leader", {}, leader_ ? 1 : 0);
  return out.take();
}

}  // namespace sessiongate::controller
