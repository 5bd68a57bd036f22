#include "controller/http/metrics.h"

#include <sstream>

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
  std::ostringstream out;
  out << "# HELP sessiongate_controller_reconcile_total Reconciles of UserSessions by result.\n"
      << "# TYPE sessiongate_controller_reconcile_total counter\n";
  for (const char* result : {"success", "requeue", "error"}) {
    auto it = reconciles_.find(result);
    out << "sessiongate_controller_reconcile_total{result=\"" << result << "\"} "
        << (it == reconciles_.end() ? 0 : it->second) << "\n";
  }
  out << "# HELP sessiongate_controller_reconcile_duration_seconds Time one reconcile took.\n"
      << "# TYPE sessiongate_controller_reconcile_duration_seconds histogram\n";
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    out << "sessiongate_controller_reconcile_duration_seconds_bucket{le=\"" << bounds_[i] << "\"} "
        << buckets_[i] << "\n";
  }
  out << "sessiongate_controller_reconcile_duration_seconds_bucket{le=\"+Inf\"} " << count_ << "\n"
      << "sessiongate_controller_reconcile_duration_seconds_sum " << sum_ << "\n"
      << "sessiongate_controller_reconcile_duration_seconds_count " << count_ << "\n";
  out << "# HELP sessiongate_controller_workqueue_depth Session names waiting to be reconciled.\n"
      << "# TYPE sessiongate_controller_workqueue_depth gauge\n"
      << "sessiongate_controller_workqueue_depth " << (depth_ ? depth_() : 0) << "\n";
  out << "# HELP sessiongate_controller_api_requests_total API requests made by reconciles, by verb and "
         "code.\n"
      << "# TYPE sessiongate_controller_api_requests_total counter\n";
  for (const auto& [key, value] : requests_) {
    out << "sessiongate_controller_api_requests_total{verb=\"" << key.first << "\",code=\"" << key.second
        << "\"} " << value << "\n";
  }
  out << "# HELP sessiongate_controller_sessions_ended_total Sessions the controller ended, by reason.\n"
      << "# TYPE sessiongate_controller_sessions_ended_total counter\n";
  for (const char* reason : {"expired", "idle"}) {
    auto it = ended_.find(reason);
    out << "sessiongate_controller_sessions_ended_total{reason=\"" << reason << "\"} "
        << (it == ended_.end() ? 0 : it->second) << "\n";
  }
  out << "# HELP sessiongate_controller_leader 1 while this replica holds the leader lease.\n"
      << "# TYPE sessiongate_controller_leader gauge\n"
      << "sessiongate_controller_leader " << (leader_ ? 1 : 0) << "\n";
  return out.str();
}

}  // namespace sessiongate::controller
