#pragma once
// TlsHttpServer is cpp-httplib's SSLServer with the life of each connection taken over, because what
// 0.11.4 does there cannot be configured: its TLS handshake waits per read, not against a deadline; its
// keep-alive wait polls only the socket, so a pipelined request already decrypted into OpenSSL's buffer
// waits for more bytes that never come; its reads time out per read, not per request; and its drain
// drops requests already sent. Its request parsing, routing and answers (process_request) are kept.
//
// Per connection: a cap per client address (before any TLS work), the handshake against a deadline,
// then requests read through a DeadlineStream. Between requests the connection waits for buffered
// plaintext (SSL_pending), the socket, or the stop signal. Once closeConnections() is called every answer
// says `Connection: close`; once the listener is stopped a connection serves what has already arrived
// and closes, instead of being cut.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>

#include "webhook/server/client_limiter.h"
#include "webhook/server/deadline_stream.h"

namespace sessiongate::webhook {

// ConnectionLimits are the per-connection bounds of a TlsHttpServer.
struct ConnectionLimits {
  std::chrono::milliseconds handshakeTimeout{std::chrono::seconds(10)};
  std::chrono::milliseconds keepAliveTimeout{std::chrono::seconds(90)};
  std::size_t maxRequestsPerConnection = 1'000'000;
  std::size_t maxConnectionsPerClient = 512;
  StreamLimits stream;
};

// TlsHttpServer serves HTTPS with the bounds above.
class TlsHttpServer : public httplib::SSLServer {
 public:
  TlsHttpServer(const std::function<bool(SSL_CTX&)>& setup, ConnectionLimits limits);
  ~TlsHttpServer() override;

  int listeningSocket() const { return svr_sock_; }
  // closeConnections makes every later answer say Connection: close (the drain's grace period).
  void closeConnections() { closeConnections_ = true; }
  // stopListening closes the listener and wakes every connection waiting for a request: each serves
  // what it has already received and closes.
  void stopListening();

  // The request being read on this thread: the pre-routing hook starts its body phase through it and the
  // error handler reads its fault. Null outside a request.
  static DeadlineStream* currentStream();
  // requestClose closes this thread's connection after the answer being written.
  static void requestClose();
  // onConnectionRefused is called for each connection refused at the per-client cap; set before serving.
  std::function<void()> onConnectionRefused;

 private:
  bool process_and_close_socket(int sock) override;
  // serveConnection serves requests until the connection ends; true when it ended on a refusal, with
  // input possibly unread.
  bool serveConnection(SSL& ssl, int sock);
  // waitForRequest is true when a request may be there to read.
  bool waitForRequest(SSL& ssl, int sock);

  const ConnectionLimits limits_;
  ClientLimiter clients_;
  int wake_[2] = {-1, -1};  // a pipe; readable once stopListening() wrote to it
  std::atomic<bool> closeConnections_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> refused_{0};
};

}  // namespace sessiongate::webhook
