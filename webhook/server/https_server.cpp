#include "webhook/server/https_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

#include "webhook/server/chunked_body.h"
#include "webhook/server/tls_connection.h"

namespace sessiongate::webhook {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t ListenerId = 0;
constexpr std::uint64_t WakeId = 1;
constexpr int MaxEvents = 256;
// ReadPerTurn is what one connection may read (or discard) before the others get their turn. A connection
// that used its turn and still has bytes coming is parked: its socket is not polled until the loop's
// round-robin of parked connections reaches it again, within BulkTimePerRound per round. So clients
// streaming as fast as they can share what is left of the loop after every other connection (a new
// handshake, a review's few kilobytes, an answer) has been served.
constexpr std::size_t ReadPerTurn = 16 * 1024;
constexpr std::chrono::microseconds BulkTimePerRound{2000};
// AcceptPerTurn is how many connections one turn accepts.
constexpr int AcceptPerTurn = 256;
// Lingering: after its last answer a connection reads and drops what the client still sends, at most
// this long and this much, so that the client reads the answer instead of a reset.
constexpr std::chrono::milliseconds LingerTime{1000};
constexpr std::size_t MaxLingerBytes = 8 * 1024 * 1024;

std::string peerAddress(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, text, sizeof(text));
  else if (addr.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, text, sizeof(text));
  return text;
}

std::string millis(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

}  // namespace

struct HttpsServer::Connection {
  Connection(std::uint64_t connectionId, SSL_CTX& ctx, int fd, std::string clientAddress)
      : id(connectionId), tls(ctx, fd), address(std::move(clientAddress)) {}

  const std::uint64_t id;
  TlsConnection tls;
  const std::string address;
  State state = State::Handshake;
  std::uint32_t interest = 0;       // epoll events asked for
  Clock::time_point deadline;       // of the current state
  std::optional<Clock::time_point> reminder;  // the earliest of its entries in the deadline heap
  bool clientVerified = false;
  std::size_t served = 0;
  std::size_t charged = 0;          // bytes billed to the shared buffer bound

  // The request being read.
  std::string in;                   // plaintext received and not yet consumed
  std::size_t scanned = 0;          // of in, searched for the end of the head
  bool headStarted = false;         // a byte of the current request has arrived
  std::optional<HttpRequestHead> head;
  ChunkedBody chunked;
  std::size_t bodyWire = 0;         // chunked body bytes on the wire
  std::string body;
  bool closeAfter = false;
  bool evicted = false;             // its buffers were taken for others: answer 503 and close

  // The answer being written, then the lingering close.
  std::string out;
  std::size_t outAt = 0;
  std::size_t discarded = 0;
};

Result<std::unique_ptr<HttpsServer>> HttpsServer::create(const std::string& host, int port, SSL_CTX* ctx,
                                                         HttpsLimits limits, HttpsHooks hooks) {
  // OpenSSL's socket BIO writes with write(2), which raises SIGPIPE on a connection the client has reset;
  // the loop handles that as the write's error instead.
  std::signal(SIGPIPE, SIG_IGN);
  auto cannotListen = [&](const std::string& why) {
    return Error{"cannot listen on " + host + ":" + std::to_string(port) + ": " + why +
                 "; change --listen to a local address and a free port"};
  };
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  auto service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return cannotListen(gai_strerror(rc));
  }
  int listener = -1;
  std::string failure = "no address";
  for (auto* ai = found; ai != nullptr && listener < 0; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));  // copied to every accepted socket
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) {
      listener = fd;
    } else {
      failure = std::strerror(errno);
      ::close(fd);
    }
  }
  ::freeaddrinfo(found);
  if (listener < 0) return cannotListen(failure);
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&bound), &len);
  int boundPort = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6&>(bound).sin6_port)
                                              : ntohs(reinterpret_cast<sockaddr_in&>(bound).sin_port);
  std::unique_ptr<HttpsServer> server(new HttpsServer(listener, boundPort, ctx, limits, std::move(hooks)));
  if (server->epoll_ < 0 || server->wake_ < 0) {
    return Error{std::string("cannot set up the event loop: ") + std::strerror(errno)};
  }
  return server;
}

HttpsServer::HttpsServer(int listener, int port, SSL_CTX* ctx, HttpsLimits limits, HttpsHooks hooks)
    : listener_(listener),
      port_(port),
      ctx_(ctx),
      limits_(limits),
      hooks_(std::move(hooks)),
      epoll_(::epoll_create1(EPOLL_CLOEXEC)),
      wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      clients_(limits.maxConnectionsPerClient),
      workers_(std::max<std::size_t>(1, limits.workers)) {
  if (epoll_ >= 0 && wake_ >= 0) {
    epoll_event listen{EPOLLIN, {.u64 = ListenerId}};
    epoll_event wake{EPOLLIN, {.u64 = WakeId}};
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, listener_, &listen);
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &wake);
  }
}

HttpsServer::~HttpsServer() {
  workers_.stop();
  connections_.clear();
  if (listener_ >= 0) ::close(listener_);
  if (wake_ >= 0) ::close(wake_);
  if (epoll_ >= 0) ::close(epoll_);
  SSL_CTX_free(ctx_);
}

void HttpsServer::wake() {
  std::uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(wake_, &one, sizeof(one));
}

void HttpsServer::stopListening() {
  stopping_ = true;
  closeConnections_ = true;
  wake();
}

void HttpsServer::cut() {
  stopping_ = true;
  cutting_ = true;
  wake();
}

void HttpsServer::closeListener() {
  if (listener_ < 0) return;
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, listener_, nullptr);
  ::close(listener_);
  listener_ = -1;
}

void HttpsServer::run() {
  epoll_event events[MaxEvents];
  bool stopSeen = false;
  for (;;) {
    if (stopping_ && !stopSeen) {
      stopSeen = true;
      closeListener();
      // Idle connections close; the others finish what they have started (drive sees stopping_).
      std::vector<std::uint64_t> ids;
      for (auto& [id, c] : connections_) ids.push_back(id);
      for (auto id : ids)
        if (auto it = connections_.find(id); it != connections_.end()) drive(*it->second);
    }
    if (cutting_) {
      while (!connections_.empty()) close(*connections_.begin()->second);
    }
    if (stopping_ && connections_.empty() && processing_ == 0) break;

    int timeout = 1000;
    if (!bulk_.empty()) {
      timeout = 0;
    } else if (auto next = deadlines_.next()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*next - Clock::now()).count() + 1;
      timeout = static_cast<int>(std::clamp<long long>(left, 0, 1000));
    }
    int n = ::epoll_wait(epoll_, events, MaxEvents, timeout);
    if (n < 0 && errno != EINTR) {
      spdlog::error("the event loop cannot wait for events: {}", std::strerror(errno));
      break;
    }
    for (int i = 0; i < n; ++i) {
      auto id = events[i].data.u64;
      if (id == ListenerId) {
        acceptAll();
      } else if (id == WakeId) {
        std::uint64_t count = 0;
        [[maybe_unused]] auto read = ::read(wake_, &count, sizeof(count));
        takeCompletions();
      } else if (auto it = connections_.find(id); it != connections_.end()) {
        Connection& c = *it->second;
        // A client gone while its request is with a worker: its answer cannot be delivered.
        if (c.state == State::Processing && (events[i].events & (EPOLLHUP | EPOLLERR)) != 0) close(c);
        else drive(c);
      }
    }
    // Parked connections, round-robin, for at most BulkTimePerRound.
    auto bulkUntil = Clock::now() + BulkTimePerRound;
    for (std::size_t left = bulk_.size(); left > 0 && Clock::now() < bulkUntil; --left) {
      auto id = bulk_.front();
      bulk_.pop_front();
      if (auto it = connections_.find(id); it != connections_.end()) drive(*it->second);
    }
    auto now = Clock::now();
    while (auto entry = deadlines_.popDue(now)) {
      auto it = connections_.find(entry->connection);
      if (it == connections_.end()) continue;
      Connection& c = *it->second;
      if (!c.reminder || *c.reminder != entry->at) continue;  // an earlier reminder replaced this one
      c.reminder.reset();
      if (c.deadline <= now) {
        expire(c);
      } else {
        c.reminder = c.deadline;
        deadlines_.push({c.deadline, c.id});
      }
    }
  }
  closeListener();
  while (!connections_.empty()) close(*connections_.begin()->second);
  workers_.stop();
  takeCompletions();
}

void HttpsServer::acceptAll() {
  for (int accepted = 0; accepted < AcceptPerTurn; ++accepted) {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    int fd = ::accept4(listener_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        spdlog::warn("cannot accept a connection: {}; accepting again once one closes", std::strerror(errno));
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, listener_, nullptr);
        listenerPaused_ = true;
      }
      return;
    }
    auto address = peerAddress(addr);
    if (!clients_.tryAcquire(address)) {
      if (hooks_.connectionRefused) hooks_.connectionRefused();
      if (refusedConnections_++ % 1000 == 0) {
        spdlog::warn("refusing connections from {}: it already has {} open (the per-client cap)", address,
                     limits_.maxConnectionsPerClient);
      }
      ::close(fd);
      continue;
    }
    auto id = nextId_++;
    auto connection = std::make_unique<Connection>(id, *ctx_, fd, address);
    if (!connection->tls.valid()) {
      clients_.release(address);
      continue;
    }
    Connection& c = *connection;
    connections_.emplace(id, std::move(connection));
    ++open_;
    epoll_event event{EPOLLIN, {.u64 = id}};
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
    c.interest = EPOLLIN;
    setDeadline(c, limits_.handshakeTimeout);
  }
}

void HttpsServer::drive(Connection& c) {
  std::size_t readThisTurn = 0;
  for (;;) {
    switch (c.state) {
      case State::Handshake: {
        if (stopping_) return close(c);
        auto status = c.tls.handshake();
        if (status == IoStatus::Done) {
          c.clientVerified = c.tls.clientCertificateVerified();
          startReading(c);
          continue;
        }
        if (status == IoStatus::Closed) return close(c);
        return want(c, status == IoStatus::WantRead ? EPOLLIN : EPOLLOUT);
      }
      case State::Reading: {
        if (c.evicted) {
          c.evicted = false;
          refuse(c, busyRefusal(), nullptr);
          continue;
        }
        if (progressRequest(c)) continue;
        if (readThisTurn >= ReadPerTurn) return park(c);  // more may be there: after the others
        // A head (or chunked body) is read into in; a Content-Length body straight into body, never past it.
        bool intoBody = c.head && !c.head->chunked;
        std::string& into = intoBody ? c.body : c.in;
        auto room = ReadPerTurn - readThisTurn;
        if (intoBody) room = std::min(room, c.head->contentLength - c.body.size());
        auto before = into.size();
        auto status = c.tls.read(into, room);
        if (status == IoStatus::Done) {
          readThisTurn += into.size() - before;
          if (!c.headStarted) {
            c.headStarted = true;
            setDeadline(c, limits_.headTimeout);
          }
          if (!charge(c)) refuse(c, busyRefusal(), c.head ? &*c.head : nullptr);
          continue;
        }
        if (status == IoStatus::Closed) return close(c);
        // Nothing more now. While stopping, a connection waiting for its next request closes.
        if (stopping_ && !c.headStarted) return close(c);
        return want(c, status == IoStatus::WantRead ? EPOLLIN : EPOLLOUT);
      }
      case State::Processing:
        return want(c, 0);
      case State::Writing: {
        auto status = c.tls.write(c.out, c.outAt);
        if (status == IoStatus::Done) {
          finishWriting(c);  // then lingering, or reading the next request
          continue;
        }
        if (status == IoStatus::Closed) return close(c);
        return want(c, status == IoStatus::WantRead ? EPOLLIN : EPOLLOUT);
      }
      case State::Lingering: {
        auto before = c.discarded;
        auto status = c.tls.discard(c.discarded, ReadPerTurn);
        if (status == IoStatus::Closed || c.discarded > MaxLingerBytes) return close(c);
        if (c.discarded - before >= ReadPerTurn) return park(c);
        return want(c, EPOLLIN);
      }
    }
  }
}

bool HttpsServer::progressRequest(Connection& c) {
  if (!c.head) {
    auto parse = parseRequestHead(c.in, limits_.maxHeadBytes, limits_.maxBodyBytes, c.scanned);
    if (parse.status == HeadParse::Status::Incomplete) {
      c.scanned = c.in.size();
      return false;
    }
    if (parse.status == HeadParse::Status::Refused) {
      refuse(c, parse.refusal, parse.head.method.empty() ? nullptr : &parse.head);
      return true;
    }
    c.in.erase(0, parse.headBytes);
    c.scanned = 0;
    c.closeAfter = !parse.head.keepAlive || closeConnections_ || c.served + 1 >= limits_.maxRequestsPerConnection;
    c.head = std::move(parse.head);
    c.chunked = ChunkedBody{};
    c.bodyWire = 0;
    c.body.clear();
    if (!c.head->chunked) {  // the body's first bytes, if they came with the head; the rest is read into body
      auto first = std::min(c.in.size(), c.head->contentLength);
      c.body.assign(c.in, 0, first);
      c.in.erase(0, first);
    }
    setDeadline(c, limits_.bodyTimeout);
  }
  if (c.head->chunked) {
    std::size_t consumed = 0;
    auto status = c.chunked.feed(c.in, c.body, consumed);
    c.bodyWire += consumed;
    c.in.erase(0, consumed);
    if (c.bodyWire > limits_.maxBodyBytes) {
      refuse(c, {413, bodyTooLargeMessage(limits_.maxBodyBytes), RefusalReason::BodyTooLarge}, &*c.head);
      return true;
    }
    if (status == ChunkedBody::Status::Malformed) {
      refuse(c, {400, "malformed chunked body: send the body with a Content-Length\n", RefusalReason::BadRequest},
             &*c.head);
      return true;
    }
    if (status == ChunkedBody::Status::NeedMore) {
      if (c.in.empty()) std::string().swap(c.in);  // hold no read buffer while the client is slow
      return false;
    }
  } else if (c.body.size() < c.head->contentLength) {
    return false;
  }
  dispatch(c);
  return true;
}

void HttpsServer::dispatch(Connection& c) {
  c.state = State::Processing;
  if (c.charged > 0) holders_.erase({c.charged, c.id});  // its body is with a worker: not to be evicted
  want(c, 0);
  ++c.served;
  ++processing_;
  HttpRequest request{std::move(*c.head), std::move(c.body), c.clientVerified};
  c.head.reset();
  c.body = std::string();
  workers_.submit([this, id = c.id, request = std::move(request)] {
    HttpResponse response;
    try {
      response = hooks_.handler(request);
    } catch (const std::exception& e) {
      spdlog::error("the request handler failed on {}: {}", request.head.path, e.what());
      response = {500, "text/plain; charset=utf-8", std::string("internal error: ") + e.what() + "\n"};
    }
    {
      std::lock_guard lock(completionsMu_);
      completions_.push_back({id, std::move(response)});
    }
    wake();
  });
}

void HttpsServer::takeCompletions() {
  std::vector<Completion> done;
  {
    std::lock_guard lock(completionsMu_);
    done.swap(completions_);
  }
  for (auto& completion : done) {
    --processing_;
    auto it = connections_.find(completion.connection);
    if (it == connections_.end()) continue;  // cut meanwhile
    startWriting(*it->second, completion.response);
    drive(*it->second);
  }
}

void HttpsServer::refuse(Connection& c, const Refusal& refusal, const HttpRequestHead* head) {
  if (hooks_.refused) hooks_.refused(refusal, head);
  c.closeAfter = true;
  startWriting(c, HttpResponse{refusal.status, "text/plain; charset=utf-8", refusal.message});
  // What was read of the request goes now: the rest of it will not be.
  c.head.reset();
  c.in = std::string();
  c.body = std::string();
  charge(c);
}

void HttpsServer::startWriting(Connection& c, const HttpResponse& response) {
  c.state = State::Writing;
  c.out = serializeResponse(response, c.closeAfter);
  c.outAt = 0;
  setDeadline(c, limits_.writeTimeout);
}

void HttpsServer::finishWriting(Connection& c) {
  c.out = std::string();
  c.outAt = 0;
  if (c.closeAfter) {
    c.tls.closeWriting();
    c.state = State::Lingering;
    c.in = std::string();
    c.body = std::string();
    charge(c);
    setDeadline(c, LingerTime);
    return;
  }
  if (c.in.capacity() > FreeBufferBytes && c.in.size() < FreeBufferBytes) c.in.shrink_to_fit();
  charge(c);
  startReading(c);
}

void HttpsServer::startReading(Connection& c) {
  c.state = State::Reading;
  c.scanned = 0;
  c.headStarted = !c.in.empty();
  setDeadline(c, c.headStarted ? limits_.headTimeout : limits_.keepAliveTimeout);
}

bool HttpsServer::charge(Connection& c) {
  auto holding = c.in.capacity() + c.body.capacity();
  auto needed = holding > FreeBufferBytes ? holding - FreeBufferBytes : 0;
  if (needed > c.charged) {
    // Past the bound, the connections holding the most give way (503), while they hold more than c would.
    while (buffered_ + (needed - c.charged) > limits_.maxBufferedBytes && !holders_.empty()) {
      auto [held, id] = *std::prev(holders_.end());
      if (id == c.id || held <= needed) break;
      auto it = connections_.find(id);
      if (it == connections_.end()) {
        holders_.erase(std::prev(holders_.end()));
        continue;
      }
      // Its buffers go now; its answer is written when the loop reaches it (drive sees evicted).
      Connection& other = *it->second;
      holders_.erase(std::prev(holders_.end()));
      buffered_ -= other.charged;
      other.charged = 0;
      other.head.reset();
      other.in = std::string();
      other.body = std::string();
      other.evicted = true;
      bulk_.push_back(other.id);
    }
    if (buffered_ + (needed - c.charged) > limits_.maxBufferedBytes) return false;
  }
  if (c.charged > 0) holders_.erase({c.charged, c.id});
  buffered_ = buffered_ - c.charged + needed;
  bufferedGauge_ = buffered_;
  c.charged = needed;
  if (c.charged > 0 && c.state == State::Reading) holders_.insert({c.charged, c.id});
  return true;
}

Refusal HttpsServer::busyRefusal() const {
  return {503, "the webhook holds as many request bytes as it allows (" + std::to_string(limits_.maxBufferedBytes) +
                   ") for all clients, and this request the most of them; retry\n",
          RefusalReason::Busy};
}

void HttpsServer::setDeadline(Connection& c, std::chrono::milliseconds after) {
  c.deadline = Clock::now() + after;
  if (!c.reminder || c.deadline < *c.reminder) {
    c.reminder = c.deadline;
    deadlines_.push({c.deadline, c.id});
  }
}

void HttpsServer::expire(Connection& c) {
  switch (c.state) {
    case State::Reading:
      if (!c.headStarted) return close(c);  // an idle keep-alive connection
      if (c.head) {
        refuse(c, {408, "the request body did not arrive within " + millis(limits_.bodyTimeout) + "\n",
                   RefusalReason::BodyTimeout},
               &*c.head);
      } else {
        refuse(c, {408, "the request head did not arrive within " + millis(limits_.headTimeout) + "\n",
                   RefusalReason::HeadTimeout},
               nullptr);
      }
      return drive(c);
    case State::Processing:
      return;  // the handler's time is bounded by the drain, not here
    case State::Handshake:
    case State::Writing:
    case State::Lingering:
      return close(c);
  }
}

void HttpsServer::park(Connection& c) {
  want(c, 0);
  bulk_.push_back(c.id);
}

void HttpsServer::want(Connection& c, std::uint32_t events) {
  if (c.interest == events) return;
  epoll_event event{events, {.u64 = c.id}};
  ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.tls.fd(), &event);
  c.interest = events;
}

void HttpsServer::close(Connection& c) {
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.tls.fd(), nullptr);
  buffered_ -= c.charged;
  bufferedGauge_ = buffered_;
  holders_.erase({c.charged, c.id});
  clients_.release(c.address);
  --open_;
  if (listenerPaused_ && listener_ >= 0) {
    epoll_event listen{EPOLLIN, {.u64 = ListenerId}};
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, listener_, &listen);
    listenerPaused_ = false;
  }
  connections_.erase(c.id);  // frees the TLS state and closes the socket
}

}  // namespace sessiongate::webhook
