// The HTTP surface of the webhook server over real TLS: status codes and bodies of every endpoint.
#include <atomic>
#include <catch2/catch.hpp>

#include "harness.h"

using namespace sessiongate::webhook;
using namespace sessiongate::webhook::testing;

TEST_CASE("reviews are answered by status and body according to content type and payload", "[server][http]") {
  TlsFixture tls("http-table");
  RunningServer running(tls.options());
  auto client = verifyingClient(running.port(), tls.pki.caFile());

  struct Case {
    std::string path;
    std::string contentType;
    std::string body;
    int status;
    std::string answer;
  };
  const std::vector<Case> cases = {
      {"/validate", "application/json", reviewBody("UserSession"), 200, R"({"allowed":true})"},
      {"/mutate", "application/json; charset=utf-8", reviewBody("Pod"), 200, R"({"allowed":true})"},
      {"/mutate", "Application/JSON", reviewBody("Pod"), 200, R"({"allowed":true})"},
      {"/validate", "text/plain", reviewBody("UserSession"), 400,
       "unsupported Content-Type \"text/plain\": send the AdmissionReview as application/json\n"},
      {"/validate", "application/yaml", "kind: AdmissionReview", 400,
       "unsupported Content-Type \"application/yaml\": send the AdmissionReview as application/json\n"},
      {"/validate", "application/json", "{not json", 400, kMalformedReviewMessage},
      {"/mutate", "application/json", "", 400, kMalformedReviewMessage},
      {"/other", "application/json", "{}", 404,
       "no such endpoint: POST /other; the webhook serves POST /validate, POST /mutate, GET /healthz, "
       "/readyz, "
       "/metrics\n"},
  };
  for (const auto& c : cases) {
    INFO(c.path << " " << c.contentType << " " << c.body);
    auto res = client->Post(c.path.c_str(), c.body, c.contentType.c_str());
    REQUIRE(res);
    CHECK(res->status == c.status);
    CHECK(res->body == c.answer);
    CHECK(res->get_header_value("Content-Type") ==
          (c.status == 200 ? "application/json" : "text/plain; charset=utf-8"));
  }
}

TEST_CASE("a body over the limit gets 413, a body at the limit is handled", "[server][http]") {
  TlsFixture tls("http-413");
  auto options = tls.options();
  options.maxBodyBytes = 64 * 1024;  // the default 7 MiB is covered below; a small limit keeps this fast
  RunningServer running(options);
  auto client = verifyingClient(running.port(), tls.pki.caFile());

  std::string atLimit = reviewBody("Pod");
  atLimit.insert(atLimit.size() - 1, ",\"pad\":\"\"");
  atLimit.insert(atLimit.size() - 2, std::string(options.maxBodyBytes - atLimit.size(), 'x'));
  REQUIRE(atLimit.size() == options.maxBodyBytes);
  auto ok = client->Post("/mutate", atLimit, "application/json");
  REQUIRE(ok);
  CHECK(ok->status == 200);

  auto tooBig = client->Post("/mutate", atLimit + " ", "application/json");
  REQUIRE(tooBig);  // an answer, not a reset connection
  CHECK(tooBig->status == 413);
  CHECK(tooBig->body == "request body is larger than 65536 bytes; the webhook does not accept it\n");
  CHECK(running.server().metrics().requests(Endpoint::Mutate, "unknown", "error") == 1);
}

TEST_CASE("the default body limit is 7 MiB and the client gets 413 over it", "[server][http]") {
  TlsFixture tls("http-7mib");
  RunningServer running(tls.options());
  auto client = verifyingClient(running.port(), tls.pki.caFile());
  auto res = client->Post("/validate", std::string(7 * 1024 * 1024 + 1, ' '), "application/json");
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(res->body == "request body is larger than 7340032 bytes; the webhook does not accept it\n");
}

TEST_CASE("healthz is always ok, readyz follows the readiness check", "[server][http]") {
  TlsFixture tls("http-ready");
  std::atomic<bool> policyLoaded{false};
  RunningServer running(tls.options(), testReviewHandler, [&]() -> std::optional<std::string> {
    if (!policyLoaded) return "policy not loaded";
    return std::nullopt;
  });
  auto client = verifyingClient(running.port(), tls.pki.caFile());

  auto health = client->Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->body == "ok\n");

  auto notReady = client->Get("/readyz");
  REQUIRE(notReady);
  CHECK(notReady->status == 503);
  CHECK(notReady->body == "not ready: policy not loaded\n");

  policyLoaded = true;
  auto ready = client->Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  CHECK(ready->body == "ok\n");
}

TEST_CASE("metrics count requests by endpoint, kind and decision in Prometheus text",
          "[server][http][metrics]") {
  TlsFixture tls("http-metrics");
  RunningServer running(tls.options());
  auto client = verifyingClient(running.port(), tls.pki.caFile());
  for (int i = 0; i < 3; ++i)
    REQUIRE(client->Post("/validate", reviewBody("UserSession"), "application/json"));
  REQUIRE(client->Post("/mutate", reviewBody("Pod"), "application/json"));
  REQUIRE(client->Post("/mutate", "nope", "application/json"));
  running.server().metrics().recordPolicyReload(true);

  auto res = client->Get("/metrics");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  const std::vector<std::string> expectedLines = {
      "# TYPE sessiongate_webhook_requests_total counter",
      R"(sessiongate_webhook_requests_total{endpoint="validate",kind="UserSession",decision="allowed"} 3)",
      R"(sessiongate_webhook_requests_total{endpoint="mutate",kind="Pod",decision="patched"} 1)",
      R"(sessiongate_webhook_requests_total{endpoint="mutate",kind="unknown",decision="error"} 1)",
      "# TYPE sessiongate_webhook_request_duration_seconds histogram",
      R"(sessiongate_webhook_request_duration_seconds_bucket{endpoint="validate",le="+Inf"} 3)",
      R"(sessiongate_webhook_request_duration_seconds_count{endpoint="validate"} 3)",
      R"(sessiongate_webhook_request_duration_seconds_count{endpoint="mutate"} 2)",
      "sessiongate_webhook_requests_in_flight 0",
      "sessiongate_webhook_certificate_reloads_total 0",
      "sessiongate_webhook_certificate_reload_failures_total 0",
      "sessiongate_webhook_policy_reloads_total 1",
      "sessiongate_webhook_policy_reload_failures_total 0",
  };
  for (const auto& line : expectedLines) {
    INFO(line);
    CHECK(res->body.find(line + "\n") != std::string::npos);
  }
}
