// Metrics rendering: exact Prometheus text for known observations.
#include "webhook/server/metrics.h"

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

using namespace sessiongate::webhook;
using namespace std::chrono_literals;

TEST_CASE("latency observations land in cumulative histogram buckets", "[server][metrics]") {
  Metrics metrics;
  metrics.observeLatency(Endpoint::Validate, 50us);   // <= 0.0001
  metrics.observeLatency(Endpoint::Validate, 100us);  // <= 0.0001 (bounds are inclusive)
  metrics.observeLatency(Endpoint::Validate, 2ms);    // <= 0.0025
  metrics.observeLatency(Endpoint::Validate, 3s);     // only +Inf
  auto text = metrics.render();
  const std::vector<std::string> expected = {
      R"(sessiongate_webhook_request_duration_seconds_bucket{endpoint="validate",le="0.0001"} 2)",
      R"(sessiongate_webhook_request_duration_seconds_bucket{endpoint="validate",le="0.001"} 2)",
      R"(sessiongate_webhook_request_duration_seconds_bucket{endpoint="validate",le="0.0025"} 3)",
      R"(sessiongate_webhook_request_duration_seconds_bucket{endpoint="validate",le="2.5"} 3)",
      R"(sessiongate_webhook_request_duration_seconds_bucket{endpoint="validate",le="+Inf"} 4)",
      R"(sessiongate_webhook_request_duration_seconds_sum{endpoint="validate"} 3.00215)",
      R"(sessiongate_webhook_request_duration_seconds_count{endpoint="validate"} 4)",
      R"(sessiongate_webhook_request_duration_seconds_bucket{endpoint="mutate",le="+Inf"} 0)",
  };
  for (const auto& line : expected) {
    INFO(line);
    CHECK(text.find(line + "\n") != std::string::npos);
  }
}

TEST_CASE("request counters escape label values and fold kinds beyond the label budget",
          "[server][metrics]") {
  Metrics metrics;
  metrics.recordRequest(Endpoint::Mutate, "Pod", "patched");
  metrics.recordRequest(Endpoint::Mutate, "Pod", "patched");
  metrics.recordRequest(Endpoint::Validate, "we\"ird\\kind\n", "denied");
  CHECK(metrics.requests(Endpoint::Mutate, "Pod", "patched") == 2);
  auto text = metrics.render();
  CHECK(
      text.find(
          "sessiongate_webhook_requests_total{endpoint=\"mutate\",kind=\"Pod\",decision=\"patched\"} 2\n") !=
      std::string::npos);
  CHECK(
      text.find(
          R"(sessiongate_webhook_requests_total{endpoint="validate",kind="we\"ird\\kind\n",decision="denied"} 1)") !=
      std::string::npos);

  for (std::size_t i = 0; i < Metrics::kMaxLabelSets + 10; ++i) {
    metrics.recordRequest(Endpoint::Validate, "Kind" + std::to_string(i), "allowed");
  }
  CHECK(metrics.requests(Endpoint::Validate, "other", "allowed") ==
        12);  // Kind0..Kind253 fill the 256 label sets, the last 12 kinds are "other"
}

TEST_CASE("transport counters render one exact line each", "[server][metrics]") {
  struct Case {
    std::string name;
    std::function<void(Metrics&)> record;
    std::vector<std::string> lines;  // present, each a whole line
  };
  const std::vector<Case> cases = {
      {"nothing recorded",
       [](Metrics&) {},
       {"sessiongate_webhook_handshake_evictions_total 0", R"(sessiongate_webhook_refused_total{reason="busy"} 0)"}},
      {"three handshake evictions",
       [](Metrics& m) {
         for (int i = 0; i < 3; ++i) m.recordHandshakeEviction();
       },
       {"# TYPE sessiongate_webhook_handshake_evictions_total counter",
        "sessiongate_webhook_handshake_evictions_total 3",
        R"(sessiongate_webhook_refused_total{reason="too-many-connections"} 0)"}},
      {"an eviction is not a refused connection",
       [](Metrics& m) {
         m.recordHandshakeEviction();
         m.recordRefusal(RefusalReason::TooManyConnections);
         m.recordRefusal(RefusalReason::TooManyConnections);
       },
       {"sessiongate_webhook_handshake_evictions_total 1",
        R"(sessiongate_webhook_refused_total{reason="too-many-connections"} 2)"}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Metrics metrics;
    c.record(metrics);
    auto text = metrics.render();
    for (const auto& line : c.lines) {
      INFO(line);
      CHECK(text.find("\n" + line + "\n") != std::string::npos);
    }
  }
}
