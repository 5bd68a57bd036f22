#include "webhook/server/webhook_server.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <thread>

#include "webhook/server/request_limits.h"
#include "webhook/server/tls_context.h"

namespace sessiongate::webhook {
namespace {

using Clock = std::chrono::steady_clock;

// ListenBacklog replaces cpp-httplib's compiled-in backlog of 5, which drops connection bursts.
constexpr int ListenBacklog = SOMAXCONN;

// forceClose makes cpp-httplib answer with `Connection: close`: it decides from the request's own
// Connection header when it writes the answer, and the hooks only see the request as const. The Request
// is a local of cpp-httplib's process_request, not a const object, so writing to it is defined.
void forceClose(const httplib::Request& req) {
  auto& request = const_cast<httplib::Request&>(req);
  request.headers.erase("Connection");
  request.headers.emplace("Connection", "close");
  TlsHttpServer::requestClose();
}

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

std::optional<Endpoint> endpointOfPath(const std::string& path) {
  if (path == "/validate") return Endpoint::Validate;
  if (path == "/mutate") return Endpoint::Mutate;
  return std::nullopt;
}

constexpr const char* TextPlain = "text/plain; charset=utf-8";

// hasVerifiedClientCertificate: the handshake already refused a certificate that does not verify against the
// client CA (SSL_VERIFY_PEER), so a present certificate with a good verify result is the API server's.
bool hasVerifiedClientCertificate(const httplib::Request& req) {
  if (req.ssl == nullptr) return false;
  return SSL_get0_peer_certificate(req.ssl) != nullptr && SSL_get_verify_result(req.ssl) == X509_V_OK;
}

}  // namespace

WebhookServer::WebhookServer(ServerOptions options, ReviewHandler handler, ReadinessCheck ready)
    : options_(std::move(options)), handler_(std::move(handler)), ready_(std::move(ready)) {}

WebhookServer::~WebhookServer() {
  if (http_) shutdown(std::chrono::seconds(5));
  if (certs_) certs_->stop();
}

Result<std::unique_ptr<WebhookServer>> WebhookServer::create(ServerOptions options, ReviewHandler handler,
                                                             ReadinessCheck ready) {
  std::unique_ptr<WebhookServer> server(
      new WebhookServer(std::move(options), std::move(handler), std::move(ready)));
  const ServerOptions& opts = server->options_;

  auto certs = CertWatcher::create(opts.certFile, opts.keyFile, [metrics = &server->metrics_](bool ok) {
    metrics->recordCertificateReload(ok);
  });
  if (!certs) return Error{certs.error()};
  server->certs_ = std::move(*certs);

  ConnectionLimits limits;
  limits.handshakeTimeout = opts.handshakeTimeout;
  limits.keepAliveTimeout = opts.keepAliveTimeout;
  limits.maxRequestsPerConnection = opts.keepAliveMaxRequests;
  limits.maxConnectionsPerClient = opts.maxConnectionsPerClient;
  limits.stream.headTimeout = opts.headTimeout;
  limits.stream.bodyTimeout = opts.bodyTimeout;
  limits.stream.writeTimeout = opts.writeTimeout;
  limits.stream.maxHeadBytes = opts.maxHeaderBytes;
  limits.stream.maxBodyBytes = opts.maxBodyBytes;
  std::string tlsError;
  auto http = std::make_unique<TlsHttpServer>(
      [&](SSL_CTX& ctx) {
        auto configured = configureTlsContext(ctx, *server->certs_, opts.clientCAFile);
        if (!configured) {
          tlsError = configured.error();
          return false;
        }
        server->connections_.install(ctx);
        return true;
      },
      limits);
  if (!http->is_valid()) return Error{tlsError.empty() ? "cannot create the TLS context" : tlsError};
  http->onConnectionRefused = [metrics = &server->metrics_] {
    metrics->recordRefusal(RefusalReason::TooManyConnections);
  };

  if (opts.workers == WorkerModel::Elastic) {
    http->new_task_queue = [max = opts.maxWorkers] { return new ElasticTaskQueue(max); };
  }
  // Set on the listening socket; Linux copies TCP_NODELAY to every accepted socket.
  http->set_tcp_nodelay(true);
  http->set_payload_max_length(opts.maxBodyBytes);

  if (opts.port == 0) {
    server->port_ = http->bind_to_any_port(opts.host);
  } else if (http->bind_to_port(opts.host, opts.port)) {
    server->port_ = opts.port;
  }
  if (server->port_ <= 0) {
    return Error{"cannot listen on " + opts.host + ":" + std::to_string(opts.port) +
                 ": the address is not local or the port is in use; change --listen"};
  }
  ::listen(http->listeningSocket(), ListenBacklog);
  server->http_ = std::move(http);
  server->routes();
  server->certs_->start(opts.certPollInterval);
  return server;
}

void WebhookServer::routes() {
  auto& http = *http_;
  http.Post("/validate", [this](const httplib::Request& req, httplib::Response& res) {
    handleReview(Endpoint::Validate, req, res);
  });
  http.Post("/mutate", [this](const httplib::Request& req, httplib::Response& res) {
    handleReview(Endpoint::Mutate, req, res);
  });
  http.Get("/healthz",
           [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", TextPlain); });
  http.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    std::optional<std::string> reason;
    if (draining_)
      reason = "shutting down";
    else if (ready_)
      reason = ready_();
    if (reason) {
      res.status = 503;
      res.set_content("not ready: " + *reason + "\n", TextPlain);
    } else {
      res.set_content("ok\n", TextPlain);
    }
  });
  http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
  });

  // The pre-routing hook runs after the head and before the body is read: the place to refuse what the
  // head declares.
  http.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return checkHead(req, res); });

  // Answers cpp-httplib produced itself (404, 400 on an unreadable request, a bound the stream enforced).
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        explainError(req, res);
        return httplib::Server::HandlerResponse::Handled;
      }));
}

httplib::Server::HandlerResponse WebhookServer::checkHead(const httplib::Request& req, httplib::Response& res) {
  if (draining_) forceClose(req);
  auto refusal = checkRequestHead(req.headers, options_.maxBodyBytes);
  if (!refusal) {
    if (auto* stream = TlsHttpServer::currentStream()) stream->beginBody();
    return httplib::Server::HandlerResponse::Unhandled;
  }
  // The body stays unread on the connection, so the connection ends with this answer.
  forceClose(req);
  res.status = refusal->status;
  res.set_content(refusal->message, TextPlain);
  metrics_.recordRefusal(refusal->status == 415   ? RefusalReason::ContentEncoding
                         : refusal->status == 501 ? RefusalReason::TransferEncoding
                         : refusal->status == 413 ? RefusalReason::BodyTooLarge
                                                  : RefusalReason::BadRequest);
  if (auto endpoint = endpointOfPath(req.path); endpoint && refusal->status == 413) {
    metrics_.recordRequest(*endpoint, "unknown", "error");
  }
  return httplib::Server::HandlerResponse::Handled;
}

void WebhookServer::explainError(const httplib::Request& req, httplib::Response& res) {
  auto endpoint = endpointOfPath(req.path);
  auto* stream = TlsHttpServer::currentStream();
  auto fault = stream ? stream->fault() : StreamFault::None;
  if (fault != StreamFault::None) forceClose(req);
  if (fault == StreamFault::HeadTooLarge) {
    res.status = 431;
    res.set_content("request line and headers are larger than " + std::to_string(options_.maxHeaderBytes) +
                        " bytes; the webhook does not accept them\n",
                    TextPlain);
    metrics_.recordRefusal(RefusalReason::HeadTooLarge);
  } else if (fault == StreamFault::HeadTimeout || fault == StreamFault::BodyTimeout) {
    bool head = fault == StreamFault::HeadTimeout;
    res.status = 408;
    res.set_content(std::string("the request ") + (head ? "head" : "body") + " did not arrive within " +
                        std::to_string((head ? options_.headTimeout : options_.bodyTimeout).count()) + " ms\n",
                    TextPlain);
    metrics_.recordRefusal(head ? RefusalReason::HeadTimeout : RefusalReason::BodyTimeout);
  } else if (res.status == 413 || fault == StreamFault::BodyTooLarge) {
    res.status = 413;
    res.set_content("request body is larger than " + std::to_string(options_.maxBodyBytes) +
                        " bytes; the webhook does not accept it\n",
                    TextPlain);
    metrics_.recordRefusal(RefusalReason::BodyTooLarge);
    if (endpoint) metrics_.recordRequest(*endpoint, "unknown", "error");
  } else if (res.status == 404) {
    res.set_content("no such endpoint: " + req.method + " " + req.path +
                        "; the webhook serves POST /validate, POST /mutate, GET /healthz, /readyz, /metrics\n",
                    TextPlain);
  } else {
    if (res.status == 400) metrics_.recordRefusal(RefusalReason::BadRequest);
    res.set_content("the request was rejected with HTTP status " + std::to_string(res.status) + "\n",
                    TextPlain);
  }
}

void WebhookServer::handleReview(Endpoint endpoint, const httplib::Request& req, httplib::Response& res) {
  auto started = Clock::now();
  metrics_.requestStarted();
  ReviewAnswer answer;
  auto contentType = req.get_header_value("Content-Type");
  if (options_.clientCAFile && !hasVerifiedClientCertificate(req)) {
    answer = {403,
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
      spdlog::error("review handler failed on {}: {}", req.path, e.what());
      answer = {500, std::string("internal error: ") + e.what() + "\n", "unknown", "error"};
    }
  }
  res.status = answer.status;
  res.set_header("Content-Type", answer.status == 200 ? "application/json" : TextPlain);
  res.body = std::move(answer.body);
  metrics_.recordRequest(endpoint, answer.kind.empty() ? "unknown" : answer.kind,
                         answer.decision.empty() ? "error" : answer.decision);
  metrics_.observeLatency(endpoint, Clock::now() - started);
  metrics_.requestFinished();
}

void WebhookServer::serve() {
  {
    std::lock_guard lock(lifecycleMu_);
    if (draining_) return;
    serving_ = true;
  }
  spdlog::info("serving admission reviews on https://{}:{}", options_.host, port_);
  http_->listen_after_bind();
  served_ = true;
}

void WebhookServer::beginDrain() {
  if (draining_.exchange(true)) return;
  if (http_) http_->closeConnections();
  spdlog::info("drain begins: /readyz is 503 and every answer closes its connection; still accepting");
}

bool WebhookServer::shutdown(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  bool serving;
  {
    std::lock_guard lock(lifecycleMu_);
    beginDrain();
    serving = serving_;
  }
  if (!serving) return true;
  // listen_after_bind may not have started its accept loop yet, and stop() does nothing before it has.
  while (!http_->is_running() && !served_ && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  http_->stopListening();
  spdlog::info("draining: listener closed, {} requests in progress, {} connections open", metrics_.inFlight(),
               connections_.size());
  while (!served_ && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (served_) return true;
  spdlog::warn("drain timeout: cutting {} connections with {} requests in progress", connections_.size(),
               metrics_.inFlight());
  connections_.closeAll();
  auto grace = Clock::now() + std::chrono::seconds(2);
  while (!served_ && Clock::now() < grace) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return false;
}

}  // namespace sessiongate::webhook
