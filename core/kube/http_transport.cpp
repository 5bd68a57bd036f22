#include "core/kube/http_transport.h"

#include <httplib.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <charconv>
#include <csignal>
#include <memory>
#include <mutex>

namespace sessiongate::kube {
namespace {

struct ServerUrl {
  std::string scheme, host, prefix;
  int port = 0;
};

Result<ServerUrl> parseServerUrl(const std::string& server, const std::string& origin) {
  ServerUrl u;
  auto schemeEnd = server.find("://");
  if (schemeEnd == std::string::npos) {
    return Error{origin + ": server \"" + server + "\" is not a URL; expected https://host:port"};
  }
  u.scheme = server.substr(0, schemeEnd);
  if (u.scheme != "https" && u.scheme != "http") {
    return Error{origin + ": server \"" + server + "\" must use https"};
  }
  std::string rest = server.substr(schemeEnd + 3);
  auto slash = rest.find('/');
  if (slash != std::string::npos) {
    u.prefix = rest.substr(slash);
    while (!u.prefix.empty() && u.prefix.back() == '/') u.prefix.pop_back();
    rest = rest.substr(0, slash);
  }
  std::string portText;
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
    auto close = rest.find(']');
    if (close == std::string::npos) return Error{origin + ": server \"" + server + "\" has an unclosed '['"};
    u.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size() && rest[close + 1] == ':') portText = rest.substr(close + 2);
  } else {
    auto colon = rest.rfind(':');
    u.host = rest.substr(0, colon);
    if (colon != std::string::npos) portText = rest.substr(colon + 1);
  }
  if (u.host.empty()) return Error{origin + ": server \"" + server + "\" has no host"};
  u.port = u.scheme == "https" ? 443 : 80;
  if (!portText.empty()) {
    auto [ptr, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), u.port);
    if (ec != std::errc() || ptr != portText.data() + portText.size() || u.port <= 0 || u.port > 65535) {
      return Error{origin + ": server \"" + server + "\" has an invalid port"};
    }
  }
  return u;
}

// ignoreSigpipe: OpenSSL writes to a socket without MSG_NOSIGNAL, so a TLS close_notify sent on a connection
// the peer (or stop()) has shut down raises SIGPIPE, which by default kills the process. Ignore it, unless
// the program has installed a handler of its own.
void ignoreSigpipe() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL)
      std::signal(SIGPIPE, SIG_IGN);
  });
}

// errorText says what went wrong in words a user can act on (httplib's own names are enum identifiers).
std::string errorText(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "cannot connect";
    case httplib::Error::ConnectionTimeout:
      return "connecting timed out";
    case httplib::Error::Read:
      return "the connection broke or timed out while reading the answer";
    case httplib::Error::Write:
      return "the connection broke while sending the request";
    case httplib::Error::SSLConnection:
      return "the TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "the CA certificate could not be loaded";
    case httplib::Error::SSLServerVerification:
      return "the server's certificate is not trusted";
    case httplib::Error::Canceled:
      return "canceled";
    default:
      return httplib::to_string(error);
  }
}

// CancelOnStop ends the one request client is about to make when stop fires, whatever it is doing.
// httplib's own stop() interrupts a request that is sending or reading, but it waits for the mutex that
// send() holds while it connects and does the TLS handshake (up to the connection timeout each). So the
// socket being connected is also shut down directly: the client is told its descriptor as it creates it.
class CancelOnStop {
 public:
  CancelOnStop(httplib::ClientImpl& client, StopSignal* stop) : client_(client), stop_(stop) {
    if (stop_ == nullptr) return;
    auto socket = socket_;
    client_.set_socket_options([socket](socket_t fd) {
      std::lock_guard<std::mutex> lock(socket->mu);
      socket->fd = fd;
      if (socket->cancelled) ::shutdown(fd, SHUT_RDWR);
    });
    httplib::ClientImpl* raw = &client_;
    id_ = stop_->onStop([socket, raw] {
      {
        std::lock_guard<std::mutex> lock(socket->mu);
        socket->cancelled = true;
        // The descriptor is the request's while send runs (the callback is removed before it returns), but
        // for the instant between httplib closing a socket it gave up on and send returning.
        if (socket->fd >= 0) ::shutdown(socket->fd, SHUT_RDWR);
      }
      raw->stop();
    });
  }
  ~CancelOnStop() {
    if (stop_ == nullptr) return;
    stop_->removeOnStop(id_);
    client_.set_socket_options(nullptr);
  }
  CancelOnStop(const CancelOnStop&) = delete;
  CancelOnStop& operator=(const CancelOnStop&) = delete;

  bool cancelled() const { return stop_ != nullptr && stop_->stopped(); }

 private:
  struct Socket {
    std::mutex mu;
    int fd = -1;
    bool cancelled = false;
  };
  httplib::ClientImpl& client_;
  StopSignal* stop_;
  std::shared_ptr<Socket> socket_ = std::make_shared<Socket>();
  int id_ = -1;
};

// sendCancelling sends req on client, ended early if stop fires; cancelled tells whether it did.
httplib::Result sendCancelling(httplib::ClientImpl& client, const httplib::Request& req, StopSignal* stop,
                               bool& cancelled) {
  CancelOnStop cancelOnStop(client, stop);
  httplib::Result res = client.send(req);
  cancelled = cancelOnStop.cancelled();
  return res;
}

}  // namespace

Result<std::unique_ptr<HttpTransport>> HttpTransport::create(const ClientConfig& config,
                                                             TransportTimeouts timeouts) {
  std::string origin = config.origin.empty() ? "client config" : config.origin;
  auto url = parseServerUrl(config.server, origin);
  if (!url) return Error{url.error()};
  ignoreSigpipe();
  std::unique_ptr<HttpTransport> t(new HttpTransport());
  t->scheme_ = url->scheme;
  t->host_ = url->host;
  t->port_ = url->port;
  t->prefix_ = url->prefix;
  bool ipv6 = url->host.find(':') != std::string::npos;
  t->server_ =
      url->scheme + "://" + (ipv6 ? "[" + url->host + "]" : url->host) + ":" + std::to_string(url->port);
  t->origin_ = origin;
  t->timeouts_ = timeouts;
  if (t->scheme_ == "https") {
    auto tls = TlsMaterial::load(config);
    if (!tls) return Error{tls.error()};
    t->tls_ = *tls;
  }
  t->tokens_ = std::make_unique<TokenSource>(config.token, config.tokenFile);
  auto firstToken = t->tokens_->token();
  if (!firstToken) return Error{origin + ": " + firstToken.error()};
  return t;
}

HttpTransport::~HttpTransport() = default;

std::unique_ptr<httplib::ClientImpl> HttpTransport::newClient(int readSeconds) const {
  std::unique_ptr<httplib::ClientImpl> client;
  if (tls_) {
    auto ssl = tls_->clientCert()
                   ? std::make_unique<httplib::SSLClient>(host_, port_, tls_->clientCert(), tls_->clientKey())
                   : std::make_unique<httplib::SSLClient>(host_, port_);
    ssl->enable_server_certificate_verification(tls_->verifyServer());
    if (!tls_->caFile().empty()) ssl->set_ca_cert_path(tls_->caFile());
    client = std::move(ssl);
  } else {
    client = std::make_unique<httplib::ClientImpl>(host_, port_);
  }
  client->set_keep_alive(true);
  client->set_tcp_nodelay(true);
  client->set_url_encode(false);  // paths and queries are escaped by resource_ref / request_options
  client->set_connection_timeout(timeouts_.connectSeconds, 0);
  client->set_read_timeout(readSeconds, 0);
  client->set_write_timeout(timeouts_.writeSeconds, 0);
  return client;
}

std::unique_ptr<httplib::ClientImpl> HttpTransport::acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto client = std::move(idle_.back());
      idle_.pop_back();
      return client;
    }
  }
  return newClient(timeouts_.readSeconds);
}

void HttpTransport::release(std::unique_ptr<httplib::ClientImpl> client) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(client));
}

std::string HttpTransport::failure(const std::string& method, const std::string& pathAndQuery, int error,
                                   const httplib::ClientImpl& client) const {
  auto err = static_cast<httplib::Error>(error);
  std::string text = method + " " + url(prefix_ + pathAndQuery) + ": " + errorText(err);
  if (err == httplib::Error::SSLServerVerification) {
    const auto* ssl = dynamic_cast<const httplib::SSLClient*>(&client);
    long verify = ssl ? ssl->get_openssl_verify_result() : 0;
    text += verify != X509_V_OK ? std::string(" (") + X509_verify_cert_error_string(verify) + ")"
                                : std::string(" (the certificate does not name host ") + host_ + ")";
    text += "; check the certificate-authority of " + origin_;
  } else if (err == httplib::Error::Connection) {
    text += "; is the API server running at " + server_ + "?";
  } else if (err == httplib::Error::SSLConnection) {
    text += " (wrong port, or the server rejected the client certificate of " + origin_ + ")";
  }
  return text;
}

std::string HttpTransport::canceled(const std::string& method, const std::string& pathAndQuery) const {
  return method + " " + url(prefix_ + pathAndQuery) + ": canceled, the client is stopping";
}

ApiResult<HttpResponse> HttpTransport::send(const std::string& method, const std::string& pathAndQuery,
                                            const std::string& body, const std::string& contentType,
                                            StopSignal* cancel) {
  if (cancel != nullptr && cancel->stopped()) return transportError(canceled(method, pathAndQuery));
  auto token = tokens_->token();
  if (!token) return transportError(token.error());
  httplib::Request req;
  req.method = method;
  req.path = prefix_ + pathAndQuery;
  req.headers = {{"Accept", "application/json"}, {"User-Agent", "sessiongate/0.1"}};
  if (!token->empty()) req.headers.emplace("Authorization", "Bearer " + *token);
  if (!body.empty()) {
    req.body = body;
    req.headers.emplace("Content-Type", contentType);
  }
  auto client = acquire();
  bool cancelled = false;
  httplib::Result res = sendCancelling(*client, req, cancel, cancelled);
  if (!res) {
    return transportError(cancelled ? canceled(method, pathAndQuery)
                                    : failure(method, pathAndQuery, static_cast<int>(res.error()), *client));
  }
  HttpResponse out{res->status, std::move(res->body)};
  // A client whose request was cancelled may have been stopped; it is not put back in the pool.
  if (!cancelled) release(std::move(client));
  return out;
}

ApiResult<HttpResponse> HttpTransport::stream(const std::string& pathAndQuery, const ChunkReceiver& receive,
                                              StopSignal& stop, int idleSeconds) {
  auto token = tokens_->token();
  if (!token) return transportError(token.error());
  // A stream holds its connection for minutes, so it gets its own client rather than a pooled one.
  auto client = newClient(idleSeconds);
  int status = 0;
  std::string errorBody;
  bool receiverStopped = false;
  httplib::Request req;
  req.method = "GET";
  req.path = prefix_ + pathAndQuery;
  req.headers = {{"Accept", "application/json"}, {"User-Agent", "sessiongate/0.1"}};
  if (!token->empty()) req.headers.emplace("Authorization", "Bearer " + *token);
  req.response_handler = [&](const httplib::Response& r) {
    status = r.status;
    return !stop.stopped();
  };
  req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
    if (stop.stopped()) return false;
    if (status != 200) {
      errorBody.append(data, n);
      return true;
    }
    if (!receive(std::string_view(data, n))) {
      receiverStopped = true;
      return false;
    }
    return true;
  };
  // stop() may come at any time: while connecting or reading, CancelOnStop shuts the socket down so the
  // blocked call returns at once; the handlers above see the flag between reads.
  bool cancelled = false;
  httplib::Result res = sendCancelling(*client, req, &stop, cancelled);
  if (!res) {
    if (cancelled || receiverStopped) return HttpResponse{status, std::move(errorBody)};
    return transportError(failure("GET", pathAndQuery, static_cast<int>(res.error()), *client));
  }
  return HttpResponse{res->status, std::move(errorBody)};
}

}  // namespace sessiongate::kube
