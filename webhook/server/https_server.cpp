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

#include "webhook/server/https_connection.h"

namespace sessiongate::webhook {
namespace {

constexpr std::uint64_t kListenerId = 0;
constexpr std::uint64_t kWakeId = 1;
constexpr int kMaxEvents = 256;
// kBulkTimePerRound bounds the round-robin of parked connections (those that used their read turn and still
// have bytes coming) each loop iteration, after every other ready connection has been served.
constexpr std::chrono::microseconds kBulkTimePerRound{2000};
// kHandshakeTimePerRound bounds the handshakes started each loop iteration, so a storm of them leaves the
// loop to reads, answers and the handshakes already in progress in between.
constexpr std::chrono::microseconds kHandshakeTimePerRound{3000};
// kAcceptPerTurn is how many connections one turn accepts.
constexpr int kAcceptPerTurn = 256;
std::string peerAddress(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, text, sizeof(text));
  else if (addr.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, text, sizeof(text));
  return text;
}

}  // namespace

Result<std::unique_ptr<HttpsServer>> HttpsServer::create(const std::string& host, int port, SSL_CTX* ctx,
                                                         HttpsLimits limits, HttpsHooks hooks,
                                                         const Clock& clock) {
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
  if (int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
      rc != 0) {
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
  std::unique_ptr<HttpsServer> server(
      new HttpsServer(listener, boundPort, ctx, limits, std::move(hooks), clock));
  if (server->epoll_ < 0 || server->wake_ < 0) {
    return Error{std::string("cannot set up the event loop: ") + std::strerror(errno)};
  }
  return server;
}

HttpsServer::HttpsServer(int listener, int port, SSL_CTX* ctx, HttpsLimits limits, HttpsHooks hooks,
                         const Clock& clock)
    : listener_(listener),
      port_(port),
      ctx_(ctx),
      limits_(limits),
      hooks_(std::move(hooks)),
      clock_(clock),
      epoll_(::epoll_create1(EPOLL_CLOEXEC)),
      wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      clients_(limits.maxConnectionsPerClient),
      handshakes_(limits.maxHandshakes),
      workers_(std::max<std::size_t>(1, limits.workers)) {
  if (epoll_ >= 0 && wake_ >= 0) {
    epoll_event listen{EPOLLIN, {.u64 = kListenerId}};
    epoll_event wake{EPOLLIN, {.u64 = kWakeId}};
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
  epoll_event events[kMaxEvents];
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
    if (!bulk_.empty() || handshakesToStart_) {
      timeout = 0;
    } else if (auto next = deadlines_.next()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*next - clock_.now()).count() + 1;
      timeout = static_cast<int>(std::clamp<long long>(left, 0, 1000));
    }
    int n = ::epoll_wait(epoll_, events, kMaxEvents, timeout);
    if (n < 0 && errno != EINTR) {
      spdlog::error("the event loop cannot wait for events: {}", std::strerror(errno));
      break;
    }
    for (int i = 0; i < n; ++i) {
      auto id = events[i].data.u64;
      if (id == kListenerId) {
        acceptAll();
      } else if (id == kWakeId) {
        std::uint64_t count = 0;
        [[maybe_unused]] auto read = ::read(wake_, &count, sizeof(count));
        takeCompletions();
      } else if (auto it = connections_.find(id); it != connections_.end()) {
        Connection& c = *it->second;
        // A client gone while its request is with a worker (its answer cannot be delivered) or while it
        // waits for a handshake turn (unpolled, but hang-ups are reported all the same).
        bool unpolled = c.state == State::Processing || c.state == State::Queued;
        if (unpolled && (events[i].events & (EPOLLHUP | EPOLLERR)) != 0)
          close(c);
        else
          drive(c);
      }
    }
    startHandshakes();
    // Parked connections, round-robin, for at most kBulkTimePerRound.
    auto bulkUntil = clock_.now() + kBulkTimePerRound;
    for (std::size_t left = bulk_.size(); left > 0 && clock_.now() < bulkUntil; --left) {
      auto id = bulk_.front();
      bulk_.pop_front();
      if (auto it = connections_.find(id); it != connections_.end()) drive(*it->second);
    }
    expireDue();
  }
  closeListener();
  while (!connections_.empty()) close(*connections_.begin()->second);
  workers_.stop();
  takeCompletions();
}

void HttpsServer::acceptAll() {
  for (int accepted = 0; accepted < kAcceptPerTurn; ++accepted) {
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
    Connection& c = *connection;
    connections_.emplace(id, std::move(connection));
    ++open_;
    epoll_event event{EPOLLIN, {.u64 = id}};
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
    c.interest = EPOLLIN;
    setDeadline(c, limits_.handshakeTimeout);
  }
}

void HttpsServer::startHandshakes() {
  auto until = clock_.now() + kHandshakeTimePerRound;
  while (handshakesToStart_ && clock_.now() < until) {
    auto start = handshakes_.next();
    if (!start) {
      handshakesToStart_ = false;  // none may start until a handshake ends or another is queued
      return;
    }
    if (start->evicted) {
      if (hooks_.handshakeEvicted) hooks_.handshakeEvicted();
      if (evictedHandshakes_++ % 1000 == 0) {
        spdlog::warn(
            "{} TLS handshakes were in progress at once, the most allowed: closing the oldest of the "
            "client holding the most, for a client holding fewer",
            limits_.maxHandshakes);
      }
      if (auto it = connections_.find(*start->evicted); it != connections_.end()) close(*it->second);
    }
    if (auto it = connections_.find(start->id); it != connections_.end()) {
      it->second->state = State::Handshake;
      drive(*it->second);
    } else {
      handshakes_.forget(start->id);
    }
    handshakesToStart_ = handshakes_.waiting();
  }
}

void HttpsServer::expireDue() {
  auto now = clock_.now();
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

void HttpsServer::setDeadline(Connection& c, std::chrono::milliseconds after) {
  c.deadline = clock_.now() + after;
  if (!c.reminder || c.deadline < *c.reminder) {
    c.reminder = c.deadline;
    deadlines_.push({c.deadline, c.id});
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
  if (c.state == State::Queued || c.state == State::Handshake) {
    handshakes_.forget(c.id);
    handshakesToStart_ = handshakes_.waiting();  // a slot may be free
  }
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.tls.fd(), nullptr);
  buffered_ -= c.charged;
  bufferedGauge_ = buffered_;
  holders_.erase({c.charged, c.id});
  clients_.release(c.address);
  --open_;
  if (listenerPaused_ && listener_ >= 0) {
    epoll_event listen{EPOLLIN, {.u64 = kListenerId}};
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, listener_, &listen);
    listenerPaused_ = false;
  }
  connections_.erase(c.id);  // frees the TLS state and closes the socket
}

}  // namespace sessiongate::webhook
