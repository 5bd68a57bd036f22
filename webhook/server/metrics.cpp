#include "webhook/server/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

namespace sessiongate::webhook {
namespace {

constexpr std::array<Endpoint, 2> AllEndpoints = {Endpoint::Validate, Endpoint::Mutate};

std::size_t indexOf(Endpoint endpoint) {
  return endpoint == Endpoint::Validate ? 0 : 1;
}

// labelValue escapes a label value as the exposition format requires.
std::string labelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

std::string_view refusalReasonName(RefusalReason reason) {
  static constexpr std::array<std::string_view, RefusalReasonCount> names = {
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
  if (requests_.size() >= MaxLabelSets) key.kind = "other";
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
  auto bucket = std::lower_bound(LatencyBucketsSeconds.begin(), LatencyBucketsSeconds.end(), seconds);
  if (bucket != LatencyBucketsSeconds.end()) {
    h.buckets[bucket - LatencyBucketsSeconds.begin()].fetch_add(1, std::memory_order_relaxed);
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
  std::string out;
  auto append = std::back_inserter(out);

  header(out, "sessiongate_webhook_requests_total", "counter",
         "Admission reviews answered, by endpoint, request kind and decision.");
  {
    std::shared_lock lock(labelsMu_);
    for (const auto& [key, count] : requests_) {
      fmt::format_to(
          append, "sessiongate_webhook_requests_total{{endpoint=\"{}\",kind=\"{}\",decision=\"{}\"}} {}\n",
          endpointName(key.endpoint), labelValue(key.kind), labelValue(key.decision), count->load());
    }
  }

  header(out, "sessiongate_webhook_request_duration_seconds", "histogram",
         "Time from a complete request to its answer, by endpoint.");
  for (Endpoint endpoint : AllEndpoints) {
    const auto& h = latency_[indexOf(endpoint)];
    auto name = endpointName(endpoint);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < LatencyBucketsSeconds.size(); ++i) {
      cumulative += h.buckets[i].load(std::memory_order_relaxed);
      fmt::format_to(append,
                     "sessiongate_webhook_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"{}\"}} {}\n",
                     name, LatencyBucketsSeconds[i], cumulative);
    }
    auto count = h.count.load(std::memory_order_relaxed);
    fmt::format_to(append,
                   "sessiongate_webhook_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"+Inf\"}} {}\n",
                   name, count);
    fmt::format_to(append, "sessiongate_webhook_request_duration_seconds_sum{{endpoint=\"{}\"}} {:.9f}\n",
                   name, static_cast<double>(h.sumNanos.load(std::memory_order_relaxed)) / 1e9);
    fmt::format_to(append, "sessiongate_webhook_request_duration_seconds_count{{endpoint=\"{}\"}} {}\n", name,
                   count);
  }

  header(out, "sessiongate_webhook_requests_in_flight", "gauge", "Admission reviews being handled now.");
  fmt::format_to(append, "sessiongate_webhook_requests_in_flight {}\n", inFlight());
  header(out, "sessiongate_webhook_certificate_reloads_total", "counter",
         "Serving certificate reloads that put a new certificate in use.");
  fmt::format_to(append, "sessiongate_webhook_certificate_reloads_total {}\n", certReloads_.load());
  header(out, "sessiongate_webhook_certificate_reload_failures_total", "counter",
         "Changed certificate files that could not be loaded; the previous certificate stayed in use.");
  fmt::format_to(append, "sessiongate_webhook_certificate_reload_failures_total {}\n",
                 certReloadFailures_.load());
  header(out, "sessiongate_webhook_policy_reloads_total", "counter",
         "Policy reloads that put new objects in force.");
  fmt::format_to(append, "sessiongate_webhook_policy_reloads_total {}\n", policyReloads_.load());
  header(out, "sessiongate_webhook_policy_reload_failures_total", "counter",
         "Changed policy files that could not be loaded; the previous policy stayed in force.");
  fmt::format_to(append, "sessiongate_webhook_policy_reload_failures_total {}\n",
                 policyReloadFailures_.load());
  header(out, "sessiongate_webhook_refused_total", "counter",
         "Requests and connections refused by the transport before a review was handled, by reason.");
  for (std::size_t i = 0; i < RefusalReasonCount; ++i) {
    fmt::format_to(append, "sessiongate_webhook_refused_total{{reason=\"{}\"}} {}\n",
                   refusalReasonName(static_cast<RefusalReason>(i)), refusals_[i].load());
  }
  return out;
}

}  // namespace sessiongate::webhook
