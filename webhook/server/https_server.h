#pragma once
// HttpsServer is the webhook's HTTPS transport: one event loop thread owns the listening socket and every
// connection (non-blocking accept, TLS handshake, reads and writes, all under deadlines), parses requests
// itself (http_request.*, chunked_body.*) and hands each complete request to a small fixed WorkerPool
// running the handler. A slow or silent client therefore costs a few kilobytes and a timer, never a
// thread, and a new request is answered whatever other clients hold open.
//
// Handshakes start once the ClientHello has arrived whole, at most maxHandshakes at once, taken
// round-robin over client addresses (handshake_scheduler.h), so a storm of reconnecting clients neither
// holds OpenSSL state for each of its connections nor makes a new client wait behind it.
//
// Bounds, each answered or closed as the options say: connections per client address (before any TLS
// work), handshakes in progress, a deadline for the handshake, the idle keep-alive wait, each request head
// (from its first byte), each body (from the end of its head) and each answer's write; head bytes (431),
// body bytes on the wire, chunked included (413), Content-Encoding (415); and the bytes buffered by all
// connections together (past it, the connections holding the most are answered 503 Busy). A refused
// request's connection answers, stops sending and reads what the client still sends for a moment, so the
// client reads the answer rather than a reset. Clients streaming as fast as they can are served
// round-robin after every other connection, so they cannot delay a new handshake or a small review.
//
// One request per connection at a time: pipelined requests wait, already received, in the connection's
// buffer (or OpenSSL's) and are answered in order.
//
// Drain: after closeConnections() every request whose head arrives is answered with `Connection: close`;
// stopListening() closes the listener, closes idle connections and lets each other one finish the request
// it has started (and ones already buffered behind it); the loop ends when none is left. cut() ends
// every connection at once.
//
// Every time the loop reads (deadlines, the epoll wait's timeout, the handshake and parked-connection turns)
// comes from the Clock it is given (core/clock.h).
#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "webhook/server/client_limiter.h"
#include "webhook/server/deadline_heap.h"
#include "webhook/server/handshake_scheduler.h"
#include "webhook/server/http_request.h"
#include "webhook/server/http_response.h"
#include "webhook/server/worker_pool.h"

namespace sessiongate::webhook {

// HttpsLimits are the bounds of an HttpsServer.
struct HttpsLimits {
  std::chrono::milliseconds handshakeTimeout{std::chrono::seconds(10)};
  std::chrono::milliseconds keepAliveTimeout{std::chrono::seconds(90)};
  std::chrono::milliseconds headTimeout{std::chrono::seconds(10)};
  std::chrono::milliseconds bodyTimeout{std::chrono::seconds(30)};
  std::chrono::milliseconds writeTimeout{std::chrono::seconds(10)};
  std::size_t maxRequestsPerConnection = 1'000'000;
  std::size_t maxConnectionsPerClient = 512;
  // maxHandshakes bounds the TLS handshakes in progress (each holds OpenSSL's buffers and key exchange).
  std::size_t maxHandshakes = 64;  // --max-handshakes
  std::size_t maxHeadBytes = 64 * 1024;
  std::size_t maxBodyBytes = 7 * 1024 * 1024;
  // maxBufferedBytes bounds the request bytes all connections hold together beyond the first
  // kFreeBufferBytes of each; past it the connections holding the most give way.
  std::size_t maxBufferedBytes = 16 * 1024 * 1024;
  std::size_t workers = 4;
};

// kFreeBufferBytes is what each connection may buffer without drawing on maxBufferedBytes.
inline constexpr std::size_t kFreeBufferBytes = 4 * 1024;

// HttpsHooks are what the server calls: handler on a worker thread, the others on the loop thread.
struct HttpsHooks {
  std::function<HttpResponse(const HttpRequest&)> handler;
  // refused is called for each request the transport answers itself; head is null when it was not read.
  std::function<void(const Refusal&, const HttpRequestHead* head)> refused;
  // connectionRefused is called for each connection closed at the per-client cap.
  std::function<void()> connectionRefused;
  // handshakeEvicted is called for each handshake closed at maxHandshakes for a client address holding fewer.
  std::function<void()> handshakeEvicted;
};

class HttpsServer {
 public:
  // create binds host:port (0 picks a free port) and takes the configured ctx; errors say what to change.
  // clock must outlive the server.
  static Result<std::unique_ptr<HttpsServer>> create(const std::string& host, int port, SSL_CTX* ctx,
                                                     HttpsLimits limits, HttpsHooks hooks,
                                                     const Clock& clock = realClock());
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  int port() const { return port_; }
  // run is the event loop; it returns once stopListening() (or cut()) has been called, every connection
  // has ended and every worker has finished.
  void run();
  // The following are thread-safe.
  void closeConnections() { closeConnections_ = true; }
  void stopListening();
  void cut();
  std::size_t openConnections() const { return open_.load(); }
  // bufferedBytes is what the connections hold together beyond their free share (maxBufferedBytes bounds it).
  std::size_t bufferedBytes() const { return bufferedGauge_.load(); }

 private:
  struct Connection;  // https_connection.h
  // Hello: waiting for the whole ClientHello; Queued: waiting for a handshake slot (not polled);
  // Handshake: in progress; then a request's reading, processing by a worker, answer, lingering close.
  enum class State { Hello, Queued, Handshake, Reading, Processing, Writing, Lingering };
  struct Completion {
    std::uint64_t connection;
    HttpResponse response;
  };

  HttpsServer(int listener, int port, SSL_CTX* ctx, HttpsLimits limits, HttpsHooks hooks, const Clock& clock);

  // The event loop (https_server.cpp): accepting, polling, handshake turns, deadlines, worker completions.
  void acceptAll();
  // startHandshakes starts queued handshakes in the scheduler's order for at most kHandshakeTimePerRound.
  void startHandshakes();
  void takeCompletions();
  void expireDue();
  void setDeadline(Connection& c, std::chrono::milliseconds after);
  void want(Connection& c, std::uint32_t events);
  // park stops polling c and queues it for the round-robin of connections that used their turn.
  void park(Connection& c);
  void close(Connection& c);
  void wake();
  void closeListener();

  // One connection's state machine (https_connection.cpp): handshake, read, parse, refuse, write, linger.
  void drive(Connection& c);
  // progressRequest parses what c has buffered; true when c moved on (dispatched, refused or closed).
  bool progressRequest(Connection& c);
  void dispatch(Connection& c);
  void refuse(Connection& c, const Refusal& refusal, const HttpRequestHead* head);
  void startWriting(Connection& c, const HttpResponse& response);
  void finishWriting(Connection& c);
  void startReading(Connection& c);
  // charge bills c's buffers beyond kFreeBufferBytes to the shared bound. Past the bound, the reading
  // connections holding more than c would are refused (503) to make room; false when that is not enough.
  bool charge(Connection& c);
  Refusal busyRefusal() const;
  void expire(Connection& c);

  int listener_;
  const int port_;
  SSL_CTX* ctx_;
  const HttpsLimits limits_;
  const HttpsHooks hooks_;
  const Clock& clock_;
  int epoll_ = -1;
  int wake_ = -1;  // eventfd: completions, stop, cut
  ClientLimiter clients_;
  DeadlineHeap deadlines_;
  HandshakeScheduler handshakes_;
  bool handshakesToStart_ = false;  // queued handshakes, and the last turn did not find them all blocked
  std::size_t evictedHandshakes_ = 0;
  WorkerPool workers_;
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::deque<std::uint64_t> bulk_;  // parked: more to read without polling, round-robin
  std::uint64_t nextId_ = 2;        // 0: the listener, 1: the wake eventfd
  std::size_t buffered_ = 0;        // charged to maxBufferedBytes
  std::set<std::pair<std::size_t, std::uint64_t>> holders_;  // (charged, id) of reading connections
  std::size_t processing_ = 0;                               // requests with the workers
  bool listenerPaused_ = false;  // out of descriptors: accept again once one closes
  std::size_t refusedConnections_ = 0;
  std::atomic<bool> closeConnections_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> cutting_{false};
  std::atomic<std::size_t> open_{0};
  std::atomic<std::size_t> bufferedGauge_{0};  // buffered_, for other threads
  std::mutex completionsMu_;
  std::vector<Completion> completions_;
};

}  // namespace sessiongate::webhook
