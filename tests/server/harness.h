#pragma once
// The server tests' harness: a WebhookServer on 127.0.0.1 and a free port, run on its own thread, a small
// ReviewHandler that answers like the real one without knowing any rules, and verifying clients.
#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "test_pki.h"
#include "webhook/server/webhook_server.h"

namespace sessiongate::webhook::testing {

// testReviewHandler answers a JSON body with 200 and {"allowed":true}, recording the body's
// request.kind.kind as the kind; a non-JSON body gets 400 with kMalformedReviewMessage. A body whose kind
// is "Slow" takes 300 ms.
ReviewAnswer testReviewHandler(Endpoint endpoint, std::string_view body);

// kMalformedReviewMessage is testReviewHandler's answer to a body that is not JSON.
inline constexpr const char* kMalformedReviewMessage = "malformed AdmissionReview: the body is not JSON\n";

// reviewBody is a small review of the given kind.
std::string reviewBody(const std::string& kind);

// RunningServer is a started server; destruction drains it and joins its thread.
class RunningServer {
 public:
  RunningServer(ServerOptions options, ReviewHandler handler = testReviewHandler, ReadinessCheck ready = {});
  ~RunningServer();

  WebhookServer& server() { return *server_; }
  int port() const { return server_->port(); }
  // stop drains the server and joins its thread; returns what shutdown() returned.
  bool stop(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  std::unique_ptr<WebhookServer> server_;
  std::thread thread_;
};

// TlsFixture is a CA and a serving certificate in a fresh folder, and options pointing at them.
struct TlsFixture {
  explicit TlsFixture(const std::string& name);
  ServerOptions options() const;

  TestPki pki;
  IssuedCert serving;
};

// verifyingClient is a keep-alive client of 127.0.0.1:port that verifies the server against caFile.
std::unique_ptr<httplib::SSLClient> verifyingClient(int port, const std::filesystem::path& caFile);

}  // namespace sessiongate::webhook::testing
