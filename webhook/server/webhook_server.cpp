#include "webhook/server/webhook_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include "webhook/server/openssl_error.h"
#include "webhook/server/tls_context.h"

namespace sessiongate::webhook {
namespace {

// isJsonContentType accepts application/json with optional parameters, in any letter case.
bool isJsonContentType(std::string_view value) {
  auto media = value.substr(0, value.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  while (!media.empty() && media.front() == ' ') media.remove_prefix(1);
  constexpr std::string_view json = "application/json";
  return media.size() == json.size() &&
         std::equal(media.begin(), media.end(), json.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

std::optional<Endpoint> endpointOfPath(std::string_view path) {
  if (path == "/validate") return Endpoint::Validate;
  if (path == "/mutate") return Endpoint::Mutate;
  return std::nullopt;
}

constexpr const char* TextPlain = "text/plain; charset=utf-8";

HttpResponse text(int status, std::string body) {
  return HttpResponse{status, TextPlain, std::move(body)};
}

}  // namespace

WebhookServer::WebhookServer(ServerOptions options, ReviewHandler handler, ReadinessCheck ready)
    : options_(std::move(options)), handler_(std::move(handler)), ready_(std::move(ready)) {}

WebhookServer::~WebhookServer() {
  if (http_) shutdown(std::chrono::seconds(5));
  http_.reset();
  if (certs_) certs_->stop();
}

Result<std::unique_ptr<WebhookServer>> WebhookServer::create(ServerOptions options, ReviewHandler handler,
                                                             ReadinessCheck ready) {
  std::unique_ptr<WebhookServer> server(
      new WebhookServer(std::move(options), std::move(handler), std::move(ready)));
  const ServerOptions& opts = server->options_;
  WebhookServer* self = server.get();

  auto certs = CertWatcher::create(
      opts.certFile, opts.keyFile,
      [metrics = &server->metrics_](bool ok) { metrics->recordCertificateReload(ok); }, *opts.clock);
  if (!certs) return Error{certs.error()};
  server->certs_ = std::move(*certs);

  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return Error{"cannot create the TLS context: " + opensslReason()};
  if (auto configured = configureTlsContext(*ctx, *server->certs_, opts.clientCAFile); !configured) {
    SSL_CTX_free(ctx);
    return Error{configured.error()};
  }

  HttpsLimits limits;
  limits.handshakeTimeout = opts.handshakeTimeout;
  limits.keepAliveTimeout = opts.keepAliveTimeout;
  limits.headTimeout = opts.headTimeout;
  limits.bodyTimeout = opts.bodyTimeout;
  limits.writeTimeout = opts.writeTimeout;
  limits.maxRequestsPerConnection = opts.keepAliveMaxRequests;
  limits.maxConnectionsPerClient = opts.maxConnectionsPerClient;
  limits.maxHeadBytes = opts.maxHeaderBytes;
  limits.maxBodyBytes = opts.maxBodyBytes;
  limits.maxBufferedBytes = opts.maxBufferedBytes;
  limits.workers = opts.maxWorkers;
  limits.maxHandshakes = opts.maxHandshakes;
  HttpsHooks hooks;
  hooks.handler = [self](const HttpRequest& request) { return self->route(request); };
  hooks.refused = [self](const Refusal& refusal, const HttpRequestHead* head) {
    self->recordRefusal(refusal, head);
  };
  hooks.connectionRefused = [self] { self->metrics_.recordRefusal(RefusalReason::TooManyConnections); };
  hooks.handshakeEvicted = [self] { self->metrics_.recordHandshakeEviction(); };
  auto http = HttpsServer::create(opts.host, opts.port, ctx, limits, std::move(hooks), *opts.clock);
  if (!http) {
    SSL_CTX_free(ctx);
    return Error{http.error()};
  }
  server->http_ = std::move(*http);
  server->port_ = server->http_->port();
  server->certs_->start(opts.certPollInterval);
  return server;
}

HttpResponse WebhookServer::route(const HttpRequest& req) {
  const auto& method = req.head.method;
  const auto& path = req.head.path;
  if (method == "POST") {
    if (auto endpoint = endpointOfPath(path)) return handleReview(*endpoint, req);
  } else if (method == "GET") {
    if (path == "/healthz") return text(200, "ok\n");
    if (path == "/readyz") {
      std::optional<std::string> reason;
      if (draining_)
        reason = "shutting down";
      else if (ready_)
        reason = ready_();
      return reason ? text(503, "not ready: " + *reason + "\n") : text(200, "ok\n");
    }
    if (path == "/metrics")
      return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", metrics_.render()};
  }
  return text(404,
              "no such endpoint: " + method + " " + path +
                  "; the webhook serves POST /validate, POST /mutate, GET /healthz, /readyz, /metrics\n");
}

void WebhookServer::recordRefusal(const Refusal& refusal, const HttpRequestHead* head) {
  metrics_.recordRefusal(refusal.reason);
  if (refusal.status == 413 && head != nullptr) {
    if (auto endpoint = endpointOfPath(head->path)) metrics_.recordRequest(*endpoint, "unknown", "error");
  }
}

HttpResponse WebhookServer::handleReview(Endpoint endpoint, const HttpRequest& req) {
  auto started = options_.clock->now();
  metrics_.requestStarted();
  ReviewAnswer answer;
  auto contentType = std::string(req.head.header("Content-Type").value_or(""));
  if (options_.clientCAFile && !req.clientCertificateVerified) {
    answer = {
        403,
        "a client certificate signed by the --client-ca is required for admission reviews (only the API "
        "server may send them)\n",
        "unknown", "error"};
  } else if (!isJsonContentType(contentType)) {
    answer = {
        400,
        "unsupported Content-Type \"" + contentType + "\": send the AdmissionReview as application/json\n",
        "unknown", "error"};
  } else {
    try {
      answer = handler_(endpoint, req.body);
    } catch (const std::exception& e) {
      spdlog::error("review handler failed on {}: {}", req.head.path, e.what());
      answer = {500, std::string("internal error: ") + e.what() + "\n", "unknown", "error"};
    }
  }
  metrics_.recordRequest(endpoint, answer.kind.empty() ? "unknown" : answer.kind,
                         answer.decision.empty() ? "error" : answer.decision);
  metrics_.observeLatency(endpoint, options_.clock->now() - started);
  metrics_.requestFinished();
  return HttpResponse{answer.status, answer.status == 200 ? "application/json" : TextPlain,
                      std::move(answer.body)};
}

void WebhookServer::serve() {
  {
    std::lock_guard lock(lifecycleMu_);
    if (draining_) return;
    serving_ = true;
  }
  spdlog::info("serving admission reviews on https://{}:{}", options_.host, port_);
  http_->run();
  {
    std::lock_guard lock(lifecycleMu_);
    served_ = true;
  }
  servedCv_.notify_all();
}

void WebhookServer::beginDrain() {
  if (draining_.exchange(true)) return;
  if (http_) http_->closeConnections();
  spdlog::info("drain begins: /readyz is 503 and every answer closes its connection; still accepting");
}

bool WebhookServer::shutdown(std::chrono::milliseconds timeout) {
  const Clock& clock = *options_.clock;
  auto deadline = clock.now() + timeout;
  bool serving;
  {
    std::lock_guard lock(lifecycleMu_);
    beginDrain();
    serving = serving_;
  }
  if (!serving) return true;
  http_->stopListening();
  spdlog::info("draining: listener closed, {} requests in progress, {} connections open", metrics_.inFlight(),
               http_->openConnections());
  if (waitServed(deadline)) return true;
  spdlog::warn("drain timeout: cutting {} connections with {} requests in progress", http_->openConnections(),
               metrics_.inFlight());
  http_->cut();
  waitServed(clock.now() + std::chrono::seconds(2));
  return false;
}

bool WebhookServer::waitServed(Clock::TimePoint until) {
  const Clock& clock = *options_.clock;
  std::unique_lock lock(lifecycleMu_);
  while (!served_ && clock.now() < until) clock.waitUntil(servedCv_, lock, until);
  return served_;
}

}  // namespace sessiongate::webhook
