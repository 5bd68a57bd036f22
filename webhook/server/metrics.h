#pragma once
// Metrics counts what the webhook did, in the Prometheus text format served at /metrics. Recording is
// lock-free atomics except the first time a (endpoint, kind, decision) label set is seen, so the hot path
// never takes an exclusive lock.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "webhook/admission/review_handler.h"

namespace sessiongate::webhook {

// RefusalReason is why the transport refused a request or a connection before any review was handled.
enum class RefusalReason {
  ContentEncoding,
  TransferEncoding,
  BodyTooLarge,
  HeadTooLarge,
  HeadTimeout,
  BodyTimeout,
  BadRequest,
  TooManyConnections,
  Busy,  // the buffers of all connections together are at their bound
};
inline constexpr std::size_t kRefusalReasonCount = 9;

// refusalReasonName is the metric label of a reason, e.g. "body-too-large".
std::string_view refusalReasonName(RefusalReason reason);

// Metrics is the webhook's counters, gauges and latency histograms; thread-safe.
class Metrics {
 public:
  // kLatencyBucketsSeconds are the upper bounds of the request latency histogram.
  static constexpr std::array<double, 14> kLatencyBucketsSeconds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  // kMaxLabelSets bounds the request counter's label sets; beyond it new kinds are counted as "other".
  static constexpr std::size_t kMaxLabelSets = 256;

  // recordRequest counts one answered review.
  void recordRequest(Endpoint endpoint, std::string_view kind, std::string_view decision);
  // observeLatency adds one request's handling time to the endpoint's histogram.
  void observeLatency(Endpoint endpoint, std::chrono::nanoseconds elapsed);
  void requestStarted() { inFlight_.fetch_add(1, std::memory_order_relaxed); }
  void requestFinished() { inFlight_.fetch_sub(1, std::memory_order_relaxed); }
  void recordCertificateReload(bool ok) { (ok ? certReloads_ : certReloadFailures_).fetch_add(1); }
  void recordPolicyReload(bool ok) { (ok ? policyReloads_ : policyReloadFailures_).fetch_add(1); }
  void recordRefusal(RefusalReason reason) { refusals_[static_cast<std::size_t>(reason)].fetch_add(1); }
  std::uint64_t refusals(RefusalReason reason) const { return refusals_[static_cast<std::size_t>(reason)].load(); }
  // recordHandshakeEviction counts a TLS handshake closed at --max-handshakes to give its slot to a client
  // address holding fewer (taken from the address holding the most).
  void recordHandshakeEviction() { handshakeEvictions_.fetch_add(1); }
  std::uint64_t handshakeEvictions() const { return handshakeEvictions_.load(); }

  std::int64_t inFlight() const { return inFlight_.load(std::memory_order_relaxed); }
  std::uint64_t requests(Endpoint endpoint, std::string_view kind, std::string_view decision) const;

  // render is the Prometheus text exposition (version 0.0.4) of every metric.
  std::string render() const;

 private:
  struct LabelKey {
    Endpoint endpoint;
    std::string_view kind;
    std::string_view decision;
  };
  struct StoredKey {
    Endpoint endpoint;
    std::string kind;
    std::string decision;
  };
  struct KeyLess {
    using is_transparent = void;
    // Both sides are viewed as string_views: a tuple of strings compared with a tuple of string_views
    // does not compile with clang's C++20 tuple comparison.
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
    template <typename K>
    static std::tuple<Endpoint, std::string_view, std::string_view> view(const K& k) {
      return {k.endpoint, k.kind, k.decision};
    }
  };
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, kLatencyBucketsSeconds.size()> buckets{};  // not cumulative
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sumNanos{0};
  };

  std::atomic<std::uint64_t>& counterFor(LabelKey key);

  mutable std::shared_mutex labelsMu_;
  std::map<StoredKey, std::unique_ptr<std::atomic<std::uint64_t>>, KeyLess> requests_;
  std::array<Histogram, 2> latency_;  // indexed by Endpoint
  std::atomic<std::int64_t> inFlight_{0};
  std::atomic<std::uint64_t> certReloads_{0};
  std::atomic<std::uint64_t> certReloadFailures_{0};
  std::atomic<std::uint64_t> policyReloads_{0};
  std::atomic<std::uint64_t> policyReloadFailures_{0};
  std::array<std::atomic<std::uint64_t>, kRefusalReasonCount> refusals_{};
  std::atomic<std::uint64_t> handshakeEvictions_{0};
};

// endpointName is "validate" or "mutate".
std::string_view endpointName(Endpoint endpoint);

}  // namespace sessiongate::webhook
