// The transport's bounds, seen from a raw TLS client: what a client sends that the webhook refuses (and
// with which answer), pipelined requests, and clients that stop half way. Assertions are on behaviour
// (refused, answered, closed), never on how long something took.
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "harness.h"
#include "raw_tls_client.h"
#include "tests/support/fake_clock.h"

using namespace sessiongate::webhook;
using namespace sessiongate::webhook::testing;

namespace {

std::string chunked(const std::string& body, std::size_t chunkSize) {
  std::string out;
  for (std::size_t at = 0; at < body.size(); at += chunkSize) {
    auto part = body.substr(at, chunkSize);
    char size[32];
    std::snprintf(size, sizeof(size), "%zx\r\n", part.size());
    out += size + part + "\r\n";
  }
  return out + "0\r\n\r\n";
}

std::string statusLine(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

}  // namespace

TEST_CASE("requests that would make the server read, inflate or buffer too much are refused with an answer",
          "[server][bounds]") {
  TlsFixture tls("bad-input");
  auto options = tls.options();
  options.maxBodyBytes = 64 * 1024;
  options.maxHeaderBytes = 16 * 1024;
  RunningServer running(options);
  const std::string review = reviewBody("Pod");
  const std::string big(100 * 1024, ' ');

  struct Case {
    std::string what;
    std::string request;
    std::string status;
    std::string body;  // expected at the end of the answer
    bool closes;
  };
  const std::vector<Case> cases = {
      {"a plain review", postRequest("/mutate", review), "HTTP/1.1 200 OK", R"({"allowed":true})", false},
      {"gzip content encoding (never inflated)",
       postRequest("/mutate", "\x1f\x8b\x08\x00garbage", "Content-Encoding: gzip\r\n"),
       "HTTP/1.1 415 Unsupported Media Type",
       "Content-Encoding \"gzip\" is not accepted: send the AdmissionReview uncompressed\n", true},
      {"brotli content encoding", postRequest("/validate", review, "Content-Encoding: br\r\n"),
       "HTTP/1.1 415 Unsupported Media Type",
       "Content-Encoding \"br\" is not accepted: send the AdmissionReview uncompressed\n", true},
      {"identity content encoding", postRequest("/mutate", review, "Content-Encoding: identity\r\n"),
       "HTTP/1.1 200 OK", R"({"allowed":true})", false},
      {"a transfer encoding other than chunked",
       "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, "
       "chunked\r\n\r\n" +
           chunked(review, 16),
       "HTTP/1.1 501 Not Implemented",
       "Transfer-Encoding \"gzip, chunked\" is not supported: send the body with a Content-Length\n", true},
      {"chunked and Content-Length together",
       "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: "
       "chunked\r\nContent-Length: 5\r\n\r\n" +
           chunked(review, 16),
       "HTTP/1.1 400 Bad Request",
       "both Transfer-Encoding and Content-Length are set: send only a Content-Length\n", true},
      {"a chunked review under the limit",
       "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: "
       "chunked\r\n\r\n" +
           chunked(review, 16),
       "HTTP/1.1 200 OK", R"({"allowed":true})", false},
      {"a chunked body over the limit (counted as it arrives)",
       "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: "
       "chunked\r\n\r\n" +
           chunked(big, 4096),
       "HTTP/1.1 413 Payload Too Large",
       "request body is larger than 65536 bytes; the webhook does not accept it\n", true},
      {"a Content-Length over the limit (refused before its body is read)", postRequest("/mutate", big),
       "HTTP/1.1 413 Payload Too Large",
       "request body is larger than 65536 bytes; the webhook does not accept it\n", true},
      {"a Content-Length that is not a number",
       "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 12ab\r\n\r\n",
       "HTTP/1.1 400 Bad Request", "Content-Length \"12ab\" is not a number of bytes\n", true},
      {"headers over the total bound in lines each under 8 KB",
       "GET /healthz HTTP/1.1\r\nHost: x\r\n" +
           [] {
             std::string lines;
             for (int i = 0; i < 4; ++i)
               lines += "X-Filler-" + std::to_string(i) + ": " + std::string(6000, 'a') + "\r\n";
             return lines;
           }() +
           "\r\n",
       "HTTP/1.1 431 Request Header Fields Too Large",
       "request line and headers are larger than 16384 bytes; the webhook does not accept them\n", true},
      {"not HTTP at all", "HELLO\r\n\r\n", "HTTP/1.1 400 Bad Request",
       "malformed request line \"HELLO\": expected METHOD /path HTTP/1.1\n", true},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    RawTlsClient client(running.port(), tls.pki.caFile());
    REQUIRE(client.handshake());
    REQUIRE(client.send(c.request));
    auto answer = c.closes ? client.readUntilClosed() : client.readResponses(1);
    CHECK(statusLine(answer) == c.status);
    CHECK(answer.size() >= c.body.size());
    CHECK(answer.substr(answer.size() - std::min(answer.size(), c.body.size())) == c.body);
    if (c.closes) CHECK(answer.find("Connection: close\r\n") != std::string::npos);
  }
  auto& metrics = running.server().metrics();
  CHECK(metrics.refusals(RefusalReason::ContentEncoding) == 2);
  CHECK(metrics.refusals(RefusalReason::TransferEncoding) == 1);
  CHECK(metrics.refusals(RefusalReason::BodyTooLarge) == 2);
  CHECK(metrics.refusals(RefusalReason::HeadTooLarge) == 1);
}

TEST_CASE("pipelined requests are all answered, in order", "[server][bounds][pipelining]") {
  TlsFixture tls("pipelining");
  RunningServer running(tls.options());
  RawTlsClient client(running.port(), tls.pki.caFile());
  REQUIRE(client.handshake());
  // One write, so the three requests arrive in one TLS record: after the first, the others wait in
  // OpenSSL's buffer, where polling the socket does not see them.
  REQUIRE(client.send(postRequest("/validate", reviewBody("First")) +
                      postRequest("/mutate", reviewBody("Second")) +
                      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto answers = client.readResponses(3);
  CHECK(countOf(answers, "HTTP/1.1 200 OK") == 3);
  CHECK(answers.rfind("ok\n") == answers.size() - 3);
  CHECK(running.server().metrics().requests(Endpoint::Validate, "First", "allowed") == 1);
  CHECK(running.server().metrics().requests(Endpoint::Mutate, "Second", "patched") == 1);
}

TEST_CASE("a request head or body that stops arriving ends with 408 at its deadline, not per read",
          "[server][bounds][slowclient]") {
  TlsFixture tls("slow-head");
  auto options = tls.options();
  options.headTimeout = std::chrono::milliseconds(300);
  options.bodyTimeout = std::chrono::milliseconds(300);
  RunningServer running(options);

  SECTION("a head trickling in, one byte at a time, faster than any per-read timeout") {
    RawTlsClient client(running.port(), tls.pki.caFile());
    REQUIRE(client.handshake());
    std::string head = "POST /validate HTTP/1.1\r\nHost: x\r\n";
    bool cut = false;
    // Each byte comes well within what a per-read timeout would allow; only a deadline for the whole head
    // ends this. Stop once the server has cut the connection (bounded, whatever the machine's load).
    for (int i = 0; i < 2000 && !cut; ++i) {
      cut = !client.send(std::string(1, head[static_cast<std::size_t>(i) % head.size()]));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    auto answer = client.readUntilClosed();
    CHECK((cut || !answer.empty()));
    if (!answer.empty()) CHECK(statusLine(answer) == "HTTP/1.1 408 Request Timeout");
  }
  SECTION("a body that stops half way") {
    RawTlsClient client(running.port(), tls.pki.caFile());
    REQUIRE(client.handshake());
    auto request = postRequest("/validate", reviewBody("UserSession"));
    REQUIRE(client.send(request.substr(0, request.size() - 10)));
    auto answer = client.readUntilClosed();
    CHECK(statusLine(answer) == "HTTP/1.1 408 Request Timeout");
    CHECK(answer.find("the request body did not arrive within 300 ms\n") != std::string::npos);
    CHECK(running.server().metrics().refusals(RefusalReason::BodyTimeout) == 1);
  }
}

TEST_CASE(
    "on the server's clock, a head or body that stops half way ends with 408 once the clock passes "
    "its deadline",
    "[server][bounds][deadlines]") {
  struct Case {
    std::string what;
    std::string request;  // sent after a first request has shown the handshake done
    std::chrono::milliseconds timeout;
    std::string body;
    RefusalReason reason;
  };
  const auto review = postRequest("/validate", reviewBody("UserSession"));
  const std::vector<Case> cases = {
      {"a head that stops half way", "POST /validate HTTP/1.1\r\nHost: x\r\n", std::chrono::seconds(10),
       "the request head did not arrive within 10000 ms\n", RefusalReason::HeadTimeout},
      {"a body that stops half way", review.substr(0, review.size() - 10), std::chrono::seconds(30),
       "the request body did not arrive within 30000 ms\n", RefusalReason::BodyTimeout},
  };
  for (const auto& c : cases) {
    SECTION(c.what) {
      sessiongate::FakeClock clock;
      TlsFixture tls("fake-clock-deadline");
      auto options = tls.options();
      options.clock = &clock;                            // the default head and body timeouts, 10 s and 30 s
      options.keepAliveTimeout = std::chrono::hours(1);  // never reached by the rounds below
      RunningServer running(options);
      RawTlsClient client(running.port(), tls.pki.caFile(), "127.0.0.1", std::chrono::seconds(2));
      REQUIRE(client.handshake());
      REQUIRE(client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
      REQUIRE(statusLine(client.readResponses(1)) == "HTTP/1.1 200 OK");
      REQUIRE(client.send(c.request));
      // The deadline is set when the server reads these bytes, which the test cannot see: each round moves
      // the clock past any deadline set before it, and the loop looks at the clock at least once a second.
      std::string answer;
      for (int round = 0; round < 10 && answer.empty(); ++round) {
        clock.advance(c.timeout + std::chrono::seconds(1));
        answer = client.readResponses(1);
      }
      CHECK(statusLine(answer) == "HTTP/1.1 408 Request Timeout");
      CHECK(answer.size() >= c.body.size());
      CHECK(answer.substr(answer.size() - std::min(answer.size(), c.body.size())) == c.body);
      CHECK(running.server().metrics().refusals(c.reason) == 1);
    }
  }
}

TEST_CASE("a TLS handshake that never completes is dropped at its deadline", "[server][bounds][slowclient]") {
  TlsFixture tls("slow-handshake");
  auto options = tls.options();
  options.handshakeTimeout = std::chrono::milliseconds(300);
  RunningServer running(options);
  RawTlsClient silent(running.port(), tls.pki.caFile());  // TCP connected, never says ClientHello
  REQUIRE(silent.connected());
  CHECK(silent.closedByServer());
}

TEST_CASE("connections past the per-client cap are closed while other clients are served",
          "[server][bounds][slowclient]") {
  TlsFixture tls("client-cap");
  auto options = tls.options();
  options.maxConnectionsPerClient = 4;
  RunningServer running(options);
  std::vector<std::unique_ptr<RawTlsClient>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawTlsClient>(running.port(), tls.pki.caFile(), "127.0.0.2"));
    REQUIRE(held.back()->handshake());
  }
  RawTlsClient extra(running.port(), tls.pki.caFile(), "127.0.0.2");
  CHECK_FALSE(extra.handshake());
  CHECK(running.server().metrics().refusals(RefusalReason::TooManyConnections) >= 1);

  RawTlsClient other(running.port(), tls.pki.caFile(), "127.0.0.1");
  REQUIRE(other.handshake());
  REQUIRE(other.send(postRequest("/validate", reviewBody("UserSession"))));
  CHECK(statusLine(other.readResponses(1)) == "HTTP/1.1 200 OK");

  held.pop_back();  // one closes: the address may connect again
  bool admitted = false;
  for (int attempt = 0; attempt < 100 && !admitted; ++attempt) {
    RawTlsClient again(running.port(), tls.pki.caFile(), "127.0.0.2");
    admitted = again.handshake();
    if (!admitted) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(admitted);
}

TEST_CASE("with hundreds of slow clients holding connections a review from the API server is answered",
          "[server][bounds][slowclient]") {
  TlsFixture tls("slow-crowd");
  RunningServer running(tls.options());
  std::vector<std::unique_ptr<RawTlsClient>> slow;
  for (int i = 0; i < 300; ++i) {
    // Spread over three addresses under the per-client cap: half-sent heads and silent handshakes.
    auto source = "127.0.1." + std::to_string(1 + i % 3);
    slow.push_back(std::make_unique<RawTlsClient>(running.port(), tls.pki.caFile(), source));
    if (i % 2 == 0 && slow.back()->handshake()) slow.back()->send("POST /validate HTTP/1.1\r\nHost: x\r\n");
  }
  for (int i = 0; i < 3; ++i) {
    auto client = verifyingClient(running.port(), tls.pki.caFile());
    auto res = client->Post("/validate", reviewBody("UserSession"), "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
  }
}

TEST_CASE("past the shared buffer bound the connection holding the most gives way, not the newcomer",
          "[server][bounds][slowclient]") {
  TlsFixture tls("buffer-bound");
  auto options = tls.options();
  options.maxBufferedBytes = 64 * 1024;
  RunningServer running(options);
  // A: a body announced at 100,000 bytes, 50,000 sent, then silence.
  RawTlsClient hog(running.port(), tls.pki.caFile(), "127.0.0.2");
  REQUIRE(hog.handshake());
  REQUIRE(
      hog.send("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
               "100000\r\n\r\n" +
               std::string(50000, ' ')));
  for (int i = 0; i < 1000 && running.server().transport().bufferedBytes() < 40000; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(running.server().transport().bufferedBytes() >= 40000);
  // B: a complete 30 KB review, which the bound cannot hold beside A.
  auto review = reviewBody("UserSession");
  review.insert(review.size() - 1, R"(,"padding":")" + std::string(30000, 'x') + "\"");
  RawTlsClient fair(running.port(), tls.pki.caFile());
  REQUIRE(fair.handshake());
  REQUIRE(fair.send(postRequest("/validate", review)));
  CHECK(statusLine(fair.readResponses(1)) == "HTTP/1.1 200 OK");
  auto refused = hog.readUntilClosed();
  CHECK(statusLine(refused) == "HTTP/1.1 503 Service Unavailable");
  CHECK(refused.find("the webhook holds as many request bytes as it allows (65536) for all clients, and this "
                     "request the most of them; retry\n") != std::string::npos);
  CHECK(running.server().metrics().refusals(RefusalReason::Busy) == 1);
}

TEST_CASE("during the drain's grace period connections are accepted and every answer closes its connection",
          "[server][drain]") {
  TlsFixture tls("drain-grace");
  RunningServer running(tls.options());
  RawTlsClient before(running.port(), tls.pki.caFile());
  REQUIRE(before.handshake());
  REQUIRE(before.send(postRequest("/validate", reviewBody("UserSession"))));
  auto first = before.readResponses(1);
  CHECK(first.find("Connection: close") == std::string::npos);

  running.server().beginDrain();
  REQUIRE(before.send(postRequest("/validate", reviewBody("UserSession"))));
  auto second = before.readUntilClosed();
  CHECK(statusLine(second) == "HTTP/1.1 200 OK");
  CHECK(second.find("Connection: close\r\n") != std::string::npos);

  RawTlsClient during(running.port(), tls.pki.caFile());  // a new connection is still accepted
  REQUIRE(during.handshake());
  REQUIRE(during.send(postRequest("/mutate", reviewBody("Pod"))));
  auto third = during.readUntilClosed();
  CHECK(statusLine(third) == "HTTP/1.1 200 OK");
  CHECK(third.find("Connection: close\r\n") != std::string::npos);
  auto ready = verifyingClient(running.port(), tls.pki.caFile())->Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 503);
}

TEST_CASE("a drain answers the requests already received, including ones still buffered", "[server][drain]") {
  TlsFixture tls("drain-buffered");
  RunningServer running(tls.options());
  RawTlsClient client(running.port(), tls.pki.caFile());
  REQUIRE(client.handshake());
  // A slow review and, right behind it on the same connection, a second one: when the drain closes the
  // listener the second is in the connection's buffers, received but not yet read.
  REQUIRE(client.send(postRequest("/validate", reviewBody("Slow")) +
                      postRequest("/validate", reviewBody("Late"))));
  while (running.server().metrics().inFlight() == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto drained = std::async(std::launch::async, [&] { return running.stop(std::chrono::seconds(10)); });
  auto answers = client.readUntilClosed();
  CHECK(drained.get());
  CHECK(countOf(answers, "HTTP/1.1 200 OK") == 2);
  CHECK(answers.find("Connection: close\r\n") != std::string::npos);
  CHECK(running.server().metrics().requests(Endpoint::Validate, "Late", "allowed") == 1);
}
