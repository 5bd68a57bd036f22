#include "webhook/server/tls_connection.h"

#include <openssl/err.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

namespace sessiongate::webhook {
namespace {

IoStatus statusOf(SSL* ssl, int result) {
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_WANT_READ: return IoStatus::WantRead;
    case SSL_ERROR_WANT_WRITE: return IoStatus::WantWrite;
    default: return IoStatus::Closed;
  }
}

}  // namespace

TlsConnection::TlsConnection(SSL_CTX& ctx, int fd) : fd_(fd), ctx_(ctx) {}

TlsConnection::~TlsConnection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  ::close(fd_);
}

IoStatus TlsConnection::helloArrived() {
  // OpenSSL allocates its buffers and handshake state on the first byte; a client trickling its
  // ClientHello would hold them for the whole handshake deadline. Start once the first record is whole.
  unsigned char header[5];
  auto n = ::recv(fd_, header, sizeof(header), MSG_PEEK);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return IoStatus::Closed;
  if (n < static_cast<ssize_t>(sizeof(header))) return IoStatus::WantRead;
  int available = 0;
  std::size_t record = sizeof(header) + ((std::size_t{header[3]} << 8) | header[4]);
  if (header[0] == 0x16 && ::ioctl(fd_, FIONREAD, &available) == 0 && static_cast<std::size_t>(available) < record) {
    return IoStatus::WantRead;
  }
  return IoStatus::Done;  // whole, or not a handshake record: OpenSSL answers it
}

IoStatus TlsConnection::handshake() {
  if (ssl_ == nullptr) {
    ssl_ = SSL_new(&ctx_);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) return IoStatus::Closed;
    SSL_set_accept_state(ssl_);
  }
  ERR_clear_error();
  int n = SSL_do_handshake(ssl_);
  return n == 1 ? IoStatus::Done : statusOf(ssl_, n);
}

bool TlsConnection::clientCertificateVerified() const {
  return SSL_get0_peer_certificate(ssl_) != nullptr && SSL_get_verify_result(ssl_) == X509_V_OK;
}

void growFor(std::string& buffer, std::size_t needed, std::size_t most) {
  if (needed <= buffer.capacity()) return;
  auto target = std::max(needed, std::min(2 * buffer.capacity(), most));
  if (target >= 2 * buffer.capacity()) {
    buffer.reserve(target);
    return;
  }
  // libstdc++'s reserve doubles whatever is asked below twice the capacity; a new string is made to size.
  std::string grown;
  grown.reserve(target);
  grown.append(buffer);
  buffer.swap(grown);
}

IoStatus TlsConnection::read(std::string& buffer, std::size_t max, std::size_t most) {
  constexpr std::size_t kChunk = 16 * 1024;
  char chunk[kChunk];
  ERR_clear_error();
  int n = SSL_read(ssl_, chunk, static_cast<int>(max < kChunk ? max : kChunk));
  if (n > 0) {
    growFor(buffer, buffer.size() + static_cast<std::size_t>(n), most);
    buffer.append(chunk, static_cast<std::size_t>(n));
    return IoStatus::Done;
  }
  return statusOf(ssl_, n);
}

bool TlsConnection::pending() const {
  return ssl_ != nullptr && SSL_pending(ssl_) > 0;
}

IoStatus TlsConnection::write(const std::string& data, std::size_t& offset) {
  while (offset < data.size()) {
    ERR_clear_error();
    std::size_t left = data.size() - offset;
    int n = SSL_write(ssl_, data.data() + offset, static_cast<int>(left > INT_MAX ? INT_MAX : left));
    if (n <= 0) return statusOf(ssl_, n);
    offset += static_cast<std::size_t>(n);
  }
  return IoStatus::Done;
}

void TlsConnection::closeWriting() {
  ERR_clear_error();
  SSL_shutdown(ssl_);  // close_notify; its answer is not awaited
  ::shutdown(fd_, SHUT_WR);
  // Only raw reads follow: the TLS state and its buffers go now, not when the lingering ends.
  SSL_free(ssl_);
  ssl_ = nullptr;
}

IoStatus TlsConnection::discard(std::size_t& counted, std::size_t max) {
  char buffer[16384];
  for (std::size_t read = 0; read < max;) {
    auto n = ::recv(fd_, buffer, std::min(sizeof(buffer), max - read), 0);
    if (n > 0) {
      read += static_cast<std::size_t>(n);
      counted += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return IoStatus::WantRead;
    return IoStatus::Closed;
  }
  return IoStatus::WantRead;
}

}  // namespace sessiongate::webhook
