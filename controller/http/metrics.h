#pragma once
// ControllerMetrics are the controller's Prometheus metrics, rendered in the text exposition format by
// core/metrics_text.h:
//   sessiongate_controller_reconcile_total{result}            counter (success, requeue, error)
//   sessiongate_controller_reconcile_duration_seconds          histogram
//   sessiongate_controller_workqueue_depth                     gauge (read when scraped)
//   sessiongate_controller_api_requests_total{verb,code}       counter
//   sessiongate_controller_leader                              gauge (1 while leading)
//   sessiongate_controller_sessions_ended_total{reason}        counter (expired, idle)
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sessiongate::controller {

// ControllerMetrics is thread-safe.
class ControllerMetrics {
 public:
  ControllerMetrics();
  void recordReconcile(const std::string& result, double seconds);
  void recordApiRequest(const std::string& verb, int code);
  // recordSessionEnded counts a session the controller ended: reason "expired" (its ttl ran out) or "idle".
  void recordSessionEnded(const std::string& reason);
  void setLeader(bool leader) { leader_ = leader; }
  // setQueueDepth installs the function read at scrape time.
  void setQueueDepth(std::function<std::size_t()> depth);
  // render is the whole exposition text.
  std::string render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> reconciles_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, std::uint64_t> ended_;
  std::vector<double> bounds_;
  std::vector<std::uint64_t> buckets_;  // cumulative counts per bound
  std::uint64_t count_ = 0;
  double sum_ = 0;
  std::function<std::size_t()> depth_;
  std::atomic<bool> leader_{false};
};

}  // namespace sessiongate::controller
