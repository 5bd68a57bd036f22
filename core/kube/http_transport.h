#pragma once
// HttpTransport is the only place that knows HTTP and TLS: it sends one API request (with the bearer token
// and client certificate of the config) and returns the status and body, or streams a long-running GET.
// It is thread-safe: idle keep-alive connections are kept in a small pool, each request takes one.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/kube/api_error.h"
#include "core/kube/client_config.h"
#include "core/kube/stop_signal.h"
#include "core/kube/tls_material.h"
#include "core/kube/token_source.h"

namespace httplib {
class ClientImpl;
}

namespace sessiongate::kube {

// HttpResponse is a status and the whole body of an answer.
struct HttpResponse {
  int status = 0;
  std::string body;
};

// ChunkReceiver gets a 200 answer's body as it arrives; returning false ends the stream.
using ChunkReceiver = std::function<bool(std::string_view chunk)>;

// TransportTimeouts bound connecting and each read/write of ordinary requests.
struct TransportTimeouts {
  int connectSeconds = 10;
  int readSeconds = 60;
  int writeSeconds = 30;
};

// HttpTransport sends requests to the server of one ClientConfig.
class HttpTransport {
 public:
  static Result<std::unique_ptr<HttpTransport>> create(const ClientConfig& config,
                                                       TransportTimeouts timeouts = {});
  ~HttpTransport();

  // send performs one request; a transport failure is an ApiError with code 0 naming the URL and the cause.
  // cancel, when set, ends the request at once when it fires, whether it is connecting, in the TLS handshake,
  // sending or waiting for the answer; a request made after it fired fails without connecting.
  ApiResult<HttpResponse> send(const std::string& method, const std::string& pathAndQuery,
                               const std::string& body, const std::string& contentType,
                               StopSignal* cancel = nullptr);
  // stream GETs pathAndQuery and hands a 200 body to receive as it arrives; other answers are returned whole.
  // stop ends it as cancel ends send; idleSeconds is how long the stream may stay silent before it is
  // dropped.
  ApiResult<HttpResponse> stream(const std::string& pathAndQuery, const ChunkReceiver& receive,
                                 StopSignal& stop, int idleSeconds);

  // url renders a path for messages: https://host:port/path.
  std::string url(const std::string& pathAndQuery) const { return server_ + pathAndQuery; }

 private:
  HttpTransport() = default;
  std::unique_ptr<httplib::ClientImpl> newClient(int readSeconds) const;
  std::unique_ptr<httplib::ClientImpl> acquire();
  void release(std::unique_ptr<httplib::ClientImpl> client);
  std::string failure(const std::string& method, const std::string& pathAndQuery, int error,
                      const httplib::ClientImpl& client) const;
  std::string canceled(const std::string& method, const std::string& pathAndQuery) const;

  std::string server_;  // scheme://host:port as configured, without the prefix
  std::string scheme_;
  std::string host_;
  int port_ = 0;
  std::string prefix_;  // a path the server is mounted under (behind some proxies), usually empty
  std::string origin_;
  TransportTimeouts timeouts_;
  std::shared_ptr<TlsMaterial> tls_;
  std::unique_ptr<TokenSource> tokens_;

  std::mutex mu_;
  std::vector<std::unique_ptr<httplib::ClientImpl>> idle_;
  static constexpr std::size_t kMaxIdle = 4;
};

}  // namespace sessiongate::kube
