#pragma once
// WebhookServer is the HTTPS transport of the admission webhook: POST /validate and /mutate call the
// ReviewHandler; GET /healthz, /readyz and /metrics report on the process. It owns TLS (certificate
// reloads, optional client certificates), the HttpsServer (event loop and workers) and the graceful
// drain. It knows nothing of AdmissionReview JSON.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "webhook/admission/review_handler.h"
#include "webhook/server/cert_watcher.h"
#include "webhook/server/https_server.h"
#include "webhook/server/metrics.h"

namespace sessiongate::webhook {

// kDefaultMaxBodyBytes is the largest accepted request body, 7 MiB; the API server's own limit is 3 MiB
// per object, and a review carries the object and the old object.
inline constexpr std::size_t kDefaultMaxBodyBytes = 7 * 1024 * 1024;

// kDefaultMaxHeaderBytes bounds a request's line and headers together; the API server sends about 300 bytes.
inline constexpr std::size_t kDefaultMaxHeaderBytes = 64 * 1024;

// kDefaultMaxConnectionsPerClient caps the connections open at once from one client address. The API
// server keeps a few dozen open under load; more than this from one address is a broken or hostile client.
inline constexpr std::size_t kDefaultMaxConnectionsPerClient = 512;

// ReadinessCheck says why the server cannot answer reviews yet, or nullopt when it can.
using ReadinessCheck = std::function<std::optional<std::string>()>;

// kDefaultWorkers is how many requests are handled at once; the event loop reads and writes every
// connection meanwhile, so this is about CPU, not about how many clients are connected.
inline constexpr std::size_t kDefaultWorkers = 4;

// DefaultMaxHandshakes bounds the TLS handshakes in progress at once (each holds OpenSSL's handshake state,
// tens of kilobytes); the others wait their turn holding only their socket. MaxHandshakes bounds the flag.
inline constexpr std::size_t DefaultMaxHandshakes = 64;
inline constexpr std::size_t MaxHandshakes = 4096;

// kDefaultMaxBufferedBytes bounds the request bytes held by all connections together beyond the first
// kFreeBufferBytes of each: what keeps the memory bounded whatever clients send.
inline constexpr std::size_t kDefaultMaxBufferedBytes = 16 * 1024 * 1024;

// ServerOptions configures a WebhookServer.
struct ServerOptions {
  std::string host = "0.0.0.0";
  int port = 8443;  // 0 picks a free port
  std::filesystem::path certFile;
  std::filesystem::path keyFile;
  std::optional<std::filesystem::path> clientCAFile;  // require client certificates signed by this CA
  std::size_t maxBodyBytes = kDefaultMaxBodyBytes;
  std::chrono::milliseconds keepAliveTimeout{std::chrono::seconds(90)};  // Go's http.Server idle timeout
  std::size_t keepAliveMaxRequests = 1'000'000;
  std::chrono::milliseconds handshakeTimeout{std::chrono::seconds(10)};  // the whole TLS handshake
  std::chrono::milliseconds headTimeout{std::chrono::seconds(10)};   // a request head, from its first byte
  std::chrono::milliseconds bodyTimeout{std::chrono::seconds(30)};   // a request body, after its head
  std::chrono::milliseconds writeTimeout{std::chrono::seconds(10)};  // each write of an answer
  std::size_t maxHeaderBytes = kDefaultMaxHeaderBytes;               // request line and headers
  std::size_t maxConnectionsPerClient = kDefaultMaxConnectionsPerClient;  // open at once from one address
  std::chrono::milliseconds certPollInterval{1000};
  std::size_t maxWorkers = kDefaultWorkers;          // requests handled at once
  std::size_t maxHandshakes = DefaultMaxHandshakes;  // TLS handshakes in progress at once
  std::size_t maxBufferedBytes = kDefaultMaxBufferedBytes;
  const Clock* clock = &realClock();  // every deadline, timeout and latency of the server; outlives it
};

// WebhookServer serves reviews over HTTPS.
class WebhookServer {
 public:
  // create loads the certificate, sets up TLS and binds the port; every failure is an error value.
  static Result<std::unique_ptr<WebhookServer>> create(ServerOptions options, ReviewHandler handler,
                                                       ReadinessCheck ready);
  ~WebhookServer();
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  // port is the bound port (the chosen one when options.port was 0).
  int port() const { return port_; }
  // serve runs the event loop until shutdown(); it blocks, and returns once every worker has exited.
  void serve();
  // beginDrain starts the grace period of a shutdown: /readyz turns 503 and every answer says
  // `Connection: close`, so clients move to other replicas, but new connections are still accepted (the
  // endpoints take a while to leave the Service). Idempotent.
  void beginDrain();
  // shutdown ends the drain (calling beginDrain if needed): the listener closes; every connection serves
  // the requests it has already received, including ones still buffered, and closes. After timeout the
  // remaining connections are cut. True when every request in progress finished in time.
  bool shutdown(std::chrono::milliseconds timeout);

  Metrics& metrics() { return metrics_; }
  CertWatcher& certificates() { return *certs_; }
  HttpsServer& transport() { return *http_; }

 private:
  WebhookServer(ServerOptions options, ReviewHandler handler, ReadinessCheck ready);
  HttpResponse route(const HttpRequest& request);
  HttpResponse handleReview(Endpoint endpoint, const HttpRequest& request);
  void recordRefusal(const Refusal& refusal, const HttpRequestHead* head);
  // waitServed waits until serve() has returned or the clock reaches until; true when it has returned.
  bool waitServed(Clock::TimePoint until);

  const ServerOptions options_;
  const ReviewHandler handler_;
  const ReadinessCheck ready_;
  Metrics metrics_;
  std::unique_ptr<CertWatcher> certs_;
  std::unique_ptr<HttpsServer> http_;
  int port_ = 0;
  std::mutex lifecycleMu_;  // orders serve() against shutdown()
  bool serving_ = false;
  std::atomic<bool> served_{false};
  std::condition_variable servedCv_;  // notified, under lifecycleMu_, when served_ turns true
  std::atomic<bool> draining_{false};
};

}  // namespace sessiongate::webhook
