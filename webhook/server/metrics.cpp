#include "webhook/server/metrics.h"

#include <algorithm>
#include <mutex>

#include "core/metrics_text.h"

namespace sessiongate::webhook {
namespace {

constexpr std::array<Endpoint, 2> kAllEndpoints = {Endpoint::Validate, Endpoint::Mutate};

std::size_t indexOf(Endpoint endpoint) {
  return endpoint == Endpoint::Validate ? 0 : 1;
}

}  // namespace

std::string_view refusalReasonName(RefusalReason reason) {
  static constexpr std::array<std::string_view, kRefusalReasonCount> names = {
      "content-encoding", "transfer-encoding", "body-too-large", "header-too-large",
      "head-timeout",     "body-timeout",      "bad-request",    "too-many-connections",
      "busy"};
  return names[static_cast<std::size_t>(reason)];
}

std::string_view endpointName(Endpoint endpoint) {
  return endpoint == Endpoint::Validate ? "validate" : "mutate";
}

std::atomic<std::uint64_t>& Metrics::counterFor(LabelKey key) {
  {
    std::shared_lock lock(labelsMu_);
    if (auto it = requests_.find(key); it != requests_.end()) return *it->second;
  }
  std::unique_lock lock(labelsMu_);
  if (auto it = requests_.find(key); it != requests_.end()) return *it->second;
  if (requests_.size() >= kMaxLabelSets) key.kind = "other";
  if (auto it = requests_.find(key); it != requests_.end()) return *it->second;
  StoredKey stored{key.endpoint, std::string(key.kind), std::string(key.decision)};
  auto [it, inserted] = requests_.emplace(std::move(stored), std::make_unique<std::atomic<std::uint64_t>>(0));
  return *it->second;
}

void Metrics::recordRequest(Endpoint endpoint, std::string_view kind, std::string_view decision) {
  counterFor({endpoint, kind, decision}).fetch_add(1, std::memory_order_relaxed);
}

void Metrics::observeLatency(Endpoint endpoint, std::chrono::nanoseconds elapsed) {
  auto& h = latency_[indexOf(endpoint)];
  double seconds = std::chrono::duration<double>(elapsed).count();
  auto bucket = std::lower_bound(kLatencyBucketsSeconds.begin(), kLatencyBucketsSeconds.end(), seconds);
  if (bucket != kLatencyBucketsSeconds.end()) {
    h.buckets[bucket - kLatencyBucketsSeconds.begin()].fetch_add(1, std::memory_order_relaxed);
  }
  h.count.fetch_add(1, std::memory_order_relaxed);
  h.sumNanos.fetch_add(static_cast<std::uint64_t>(elapsed.count()), std::memory_order_relaxed);
}

std::uint64_t Metrics::requests(Endpoint endpoint, std::string_view kind, std::string_view decision) const {
  std::shared_lock lock(labelsMu_);
  auto it = requests_.find(LabelKey{endpoint, kind, decision});
  return it == requests_.end() ? 0 : it->second->load();
}

std::string Metrics::render() const {
  MetricsText out;
  out.family("sessiongate_webhook_requests_total", MetricType::Counter,
             "Admission reviews answered, by endpoint, request kind and decision.");
  {
    std::shared_lock lock(labelsMu_);
    for (const auto& [key, count] : requests_) {
      out.sample("sessiongate_webhook_requests_total",
                 {{"endpoint", endpointName(key.endpoint)}, {"kind", key.kind}, {"decision", key.decision}},
                 count->load());
    }
  }

  out.family("sessiongate_webhook_request_duration_seconds", MetricType::Histogram,
             "Time from a complete request to its answer, by endpoint.");
  for (Endpoint endpoint : kAllEndpoints) {
    const auto& h = latency_[indexOf(endpoint)];
    std::array<std::uint64_t, kLatencyBucketsSeconds.size()> cumulative{};
    std::uint64_t running = 0;
    for (std::size_t i = 0; i < kLatencyBucketsSeconds.size(); ++i) {
      running += h.buckets[i].load(std::memory_order_relaxed);
      cumulative[i] = running;
    }
    out.histogram("sessiongate_webhook_request_duration_seconds", {{"endpoint", endpointName(endpoint)}},
                  kLatencyBucketsSeconds, cumulative, h.count.load(std::memory_order_relaxed),
                  static_cast<double>(h.sumNanos.load(std::memory_order_relaxed)) / 1e9);
  }

  out.family("sessiongate_webhook_requests_in_flight", MetricType::Gauge, "Admission reviews being handled now.");
  out.sample("sessiongate_webhook_requests_in_flight", {}, inFlight());
  out.family("sessiongate_webhook_certificate_reloads_total", MetricType::Counter,
             "Serving certificate reloads that put a new certificate in use.");
  out.sample("sessiongate_webhook_certificate_reloads_total", {}, certReloads_.load());
  out.family("sessiongate_webhook_certificate_reload_failures_total", MetricType::Counter,
             "Changed certificate files that could not be loaded; the previous certificate stayed in use.");
  out.sample("sessiongate_webhook_certificate_reload_failures_total", {}, certReloadFailures_.load());
  out.family("sessiongate_webhook_policy_reloads_total", MetricType::Counter,
             "Policy reloads that put new objects in force.");
  out.sample("sessiongate_webhook_policy_reloads_total", {}, policyReloads_.load());
  out.family("sessiongate_webhook_policy_reload_failures_total", MetricType::Counter,
             "Changed policy files that could not be loaded; the previous policy stayed in force.");
  out.sample("sessiongate_webhook_policy_reload_failures_total", {}, policyReloadFailures_.load());
  out.family("sessiongate_webhook_refused_total", MetricType::Counter,
             "Requests and connections refused by the transport before a review was handled, by reason.");
  for (std::size_t i = 0; i < kRefusalReasonCount; ++i) {
    out.sample("sessiongate_webhook_refused_total", {{"reason", refusalReasonName(static_cast<RefusalReason>(i))}},
               refusals_[i].load());
  }
  out.family("sessiongate_webhook_handshake_evictions_total", MetricType::Counter,
             "TLS handshakes closed at --max-handshakes to give their slot to a client address holding fewer, "
             "taken from the address holding the most.");
  out.sample("sessiongate_webhook_handshake_evictions_total", {}, handshakeEvictions_.load());
  return out.take();
}

}  // namespace sessiongate::webhook
