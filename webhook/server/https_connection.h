#pragma once
// HttpsServer::Connection is one client connection as the server's loop keeps it: its socket and TLS
// session, the state it is in, and the request and answer in flight. Private to https_server.cpp (the
// event loop) and https_connection.cpp (the connection's state machine).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "webhook/server/chunked_body.h"
#include "webhook/server/https_server.h"
#include "webhook/server/tls_connection.h"

namespace sessiongate::webhook {

struct HttpsServer::Connection {
  Connection(std::uint64_t connectionId, SSL_CTX& ctx, int fd, std::string clientAddress)
      : id(connectionId), tls(ctx, fd), address(std::move(clientAddress)) {}

  const std::uint64_t id;
  TlsConnection tls;
  const std::string address;
  State state = State::Hello;
  std::uint32_t interest = 0;                // epoll events asked for
  Clock::TimePoint deadline;                 // of the current state, on the server's clock
  std::optional<Clock::TimePoint> reminder;  // the earliest of its entries in the deadline heap
  bool clientVerified = false;
  std::size_t served = 0;
  std::size_t charged = 0;  // bytes billed to the shared buffer bound

  // The request being read.
  std::string in;            // plaintext received and not yet consumed
  std::size_t scanned = 0;   // of in, searched for the end of the head
  bool headStarted = false;  // a byte of the current request has arrived
  std::optional<HttpRequestHead> head;
  ChunkedBody chunked;
  std::size_t bodyWire = 0;  // chunked body bytes on the wire
  std::string body;
  bool closeAfter = false;
  bool evicted = false;  // its buffers were taken for others: answer 503 and close

  // The answer being written, then the lingering close.
  std::string out;
  std::size_t outAt = 0;
  std::size_t discarded = 0;
};

}  // namespace sessiongate::webhook
