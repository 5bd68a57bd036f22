#include "webhook/server/tls_http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace sessiongate::webhook {
namespace {

using Clock = std::chrono::steady_clock;

thread_local DeadlineStream* currentStream_ = nullptr;
thread_local bool closeRequested_ = false;

std::string peerAddress(int sock) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getpeername(sock, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "unknown";
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in&>(addr).sin_addr, text, sizeof(text));
  else if (addr.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6&>(addr).sin6_addr, text, sizeof(text));
  return text;
}

// handshake runs the TLS server handshake on a non-blocking socket until done, failed or deadline.
bool handshake(SSL& ssl, int sock, Clock::time_point deadline) {
  for (;;) {
    ERR_clear_error();
    int n = SSL_accept(&ssl);
    if (n == 1) return true;
    int error = SSL_get_error(&ssl, n);
    short events = 0;
    if (error == SSL_ERROR_WANT_READ)
      events = POLLIN;
    else if (error == SSL_ERROR_WANT_WRITE)
      events = POLLOUT;
    else
      return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd pfd{sock, events, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) == 0) return false;
  }
}

bool readableNow(int sock) {
  pollfd pfd{sock, POLLIN, 0};
  return ::poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN) != 0;
}

// discardUnread closes the sending side and reads what the client still sends for a moment, so that a
// client still writing a refused body reads its answer instead of a reset (which unread input causes).
void discardUnread(int sock) {
  constexpr std::size_t MaxDiscardBytes = 8 * 1024 * 1024;
  ::shutdown(sock, SHUT_WR);
  auto deadline = Clock::now() + std::chrono::seconds(1);
  char buffer[16384];
  std::size_t discarded = 0;
  while (discarded < MaxDiscardBytes) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd pfd{sock, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) break;
    auto n = ::recv(sock, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    discarded += static_cast<std::size_t>(n);
  }
}

// CurrentStream sets the thread's current stream for the duration of one request.
struct CurrentStream {
  explicit CurrentStream(DeadlineStream& stream) {
    currentStream_ = &stream;
    closeRequested_ = false;
  }
  ~CurrentStream() { currentStream_ = nullptr; }
};

}  // namespace

TlsHttpServer::TlsHttpServer(const std::function<bool(SSL_CTX&)>& setup, ConnectionLimits limits)
    : httplib::SSLServer(setup), limits_(limits), clients_(limits.maxConnectionsPerClient) {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
}

TlsHttpServer::~TlsHttpServer() {
  for (int fd : wake_)
    if (fd >= 0) ::close(fd);
}

DeadlineStream* TlsHttpServer::currentStream() {
  return currentStream_;
}

void TlsHttpServer::requestClose() {
  closeRequested_ = true;
}

void TlsHttpServer::stopListening() {
  stopping_ = true;
  closeConnections_ = true;
  stop();
  // Never read: the pipe stays readable and wakes every present and future waiter.
  if (wake_[1] >= 0) {
    [[maybe_unused]] auto written = ::write(wake_[1], "x", 1);
  }
}

bool TlsHttpServer::process_and_close_socket(int sock) {
  auto address = peerAddress(sock);
  bool admitted = clients_.tryAcquire(address);
  if (!admitted) {
    if (onConnectionRefused) onConnectionRefused();
    if (refused_.fetch_add(1) % 1000 == 0) {
      spdlog::warn("refusing connections from {}: it already has {} open (the per-client cap)", address,
                   limits_.maxConnectionsPerClient);
    }
  } else {
    ::fcntl(sock, F_SETFL, ::fcntl(sock, F_GETFL) | O_NONBLOCK);
    if (SSL* ssl = SSL_new(ssl_context())) {
      SSL_set_fd(ssl, sock);
      bool linger = false;
      if (handshake(*ssl, sock, Clock::now() + limits_.handshakeTimeout)) linger = serveConnection(*ssl, sock);
      SSL_free(ssl);
      if (linger) discardUnread(sock);
    }
    clients_.release(address);
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return true;
}

bool TlsHttpServer::waitForRequest(SSL& ssl, int sock) {
  if (SSL_pending(&ssl) > 0) return true;  // a pipelined request already decrypted
  if (stopping_) return readableNow(sock);
  pollfd fds[2] = {{sock, POLLIN, 0}, {wake_[0], POLLIN, 0}};
  auto deadline = Clock::now() + limits_.keepAliveTimeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    int ready = ::poll(fds, wake_[0] >= 0 ? 2 : 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    if (fds[0].revents != 0) return true;  // data, or an end the read will see
    return readableNow(sock);              // stopping: serve only what has already arrived
  }
}

bool TlsHttpServer::serveConnection(SSL& ssl, int sock) {
  DeadlineStream stream(ssl, sock, limits_.stream);
  bool clean = true;
  bool refused = false;
  for (std::size_t served = 0; served < limits_.maxRequestsPerConnection; ++served) {
    if (!waitForRequest(ssl, sock)) break;
    stream.beginRequest();
    CurrentStream current(stream);
    bool closeAfter = closeConnections_ || served + 1 == limits_.maxRequestsPerConnection;
    bool clientClosed = false;
    bool ok = process_request(stream, closeAfter, clientClosed, [&ssl](httplib::Request& req) { req.ssl = &ssl; });
    if (!ok || stream.fault() != StreamFault::None) clean = false;
    refused = closeRequested_ || stream.fault() != StreamFault::None;
    if (!ok || clientClosed || closeAfter || closeRequested_ || stream.fault() != StreamFault::None) break;
  }
  if (clean) SSL_shutdown(&ssl);  // close_notify, best effort on the non-blocking socket
  return refused;
}

}  // namespace sessiongate::webhook
