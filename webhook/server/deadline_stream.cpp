#include "webhook/server/deadline_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <climits>

namespace sessiongate::webhook {
namespace {

void addressOf(const sockaddr_storage& addr, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(addr);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text));
    port = ntohs(v4.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(addr);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof(text));
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

}  // namespace

DeadlineStream::DeadlineStream(SSL& ssl, int fd, const StreamLimits& limits)
    : ssl_(ssl), fd_(fd), limits_(limits) {
  beginRequest();
}

void DeadlineStream::beginRequest() {
  phase_ = Phase::Head;
  readDeadline_ = Clock::now() + limits_.headTimeout;
  phaseBytes_ = 0;
  headEndMatched_ = 0;
  fault_ = StreamFault::None;
}

void DeadlineStream::beginBody() {
  phase_ = Phase::Body;
  readDeadline_ = Clock::now() + limits_.bodyTimeout;
  phaseBytes_ = 0;
}

bool DeadlineStream::waitFor(short events, Clock::time_point deadline) const {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd pfd{fd_, events, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(left));
    if (ready > 0) return true;  // readable, writable, hung up or in error: the next SSL call says which
    if (ready < 0 && errno != EINTR) return false;
  }
}

bool DeadlineStream::is_readable() const {
  if (SSL_pending(&ssl_) > 0) return true;
  pollfd pfd{fd_, POLLIN, 0};
  return ::poll(&pfd, 1, 0) > 0;
}

bool DeadlineStream::is_writable() const {
  pollfd pfd{fd_, POLLOUT, 0};
  return ::poll(&pfd, 1, 0) > 0;
}

void DeadlineStream::account(const char* data, std::size_t n) {
  if (phase_ == Phase::Head) {
    static constexpr char HeadEnd[] = "\r\n\r\n";
    std::size_t i = 0;
    for (; i < n; ++i) {
      headEndMatched_ = data[i] == HeadEnd[headEndMatched_] ? headEndMatched_ + 1 : (data[i] == '\r' ? 1 : 0);
      if (headEndMatched_ == 4) {
        phase_ = Phase::BetweenHeadAndBody;
        break;
      }
    }
    phaseBytes_ += i;
    if (phase_ == Phase::Head && phaseBytes_ > limits_.maxHeadBytes) fault_ = StreamFault::HeadTooLarge;
  } else if (phase_ == Phase::Body) {
    phaseBytes_ += n;
    if (phaseBytes_ > limits_.maxBodyBytes) fault_ = StreamFault::BodyTooLarge;
  }
}

ssize_t DeadlineStream::read(char* ptr, size_t size) {
  if (fault_ != StreamFault::None) return -1;
  if (size > static_cast<size_t>(INT32_MAX)) size = INT32_MAX;
  for (;;) {
    ERR_clear_error();
    int n = SSL_read(&ssl_, ptr, static_cast<int>(size));
    if (n > 0) {
      account(ptr, static_cast<std::size_t>(n));
      return fault_ == StreamFault::None ? n : -1;
    }
    int error = SSL_get_error(&ssl_, n);
    bool ready = false;
    if (error == SSL_ERROR_WANT_READ) ready = waitFor(POLLIN, readDeadline_);
    else if (error == SSL_ERROR_WANT_WRITE) ready = waitFor(POLLOUT, readDeadline_);
    else {
      fault_ = StreamFault::Closed;
      return error == SSL_ERROR_ZERO_RETURN ? 0 : -1;
    }
    if (!ready) {
      fault_ = phase_ == Phase::Body ? StreamFault::BodyTimeout : StreamFault::HeadTimeout;
      return -1;
    }
  }
}

ssize_t DeadlineStream::write(const char* ptr, size_t size) {
  if (size > static_cast<size_t>(INT32_MAX)) size = INT32_MAX;
  auto deadline = Clock::now() + limits_.writeTimeout;
  for (;;) {
    ERR_clear_error();
    int n = SSL_write(&ssl_, ptr, static_cast<int>(size));
    if (n > 0) return n;
    int error = SSL_get_error(&ssl_, n);
    bool ready = false;
    if (error == SSL_ERROR_WANT_WRITE) ready = waitFor(POLLOUT, deadline);
    else if (error == SSL_ERROR_WANT_READ) ready = waitFor(POLLIN, deadline);
    if (!ready) return -1;
  }
}

void DeadlineStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) addressOf(addr, ip, port);
}

void DeadlineStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) addressOf(addr, ip, port);
}

}  // namespace sessiongate::webhook
