#include "raw_tls_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sessiongate::webhook::testing {
namespace {

using Clock = std::chrono::steady_clock;

bool waitFor(int fd, short events, Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return false;
  pollfd pfd{fd, events, 0};
  return ::poll(&pfd, 1, static_cast<int>(left)) > 0;
}

// complete counts the complete responses at the start of text (head plus Content-Length bytes).
int completeResponses(const std::string& text) {
  int count = 0;
  std::size_t at = 0;
  for (;;) {
    auto headEnd = text.find("\r\n\r\n", at);
    if (headEnd == std::string::npos) return count;
    auto lengthAt = text.find("Content-Length: ", at);
    std::size_t length = 0;
    if (lengthAt != std::string::npos && lengthAt < headEnd) length = std::stoul(text.substr(lengthAt + 16));
    if (text.size() < headEnd + 4 + length) return count;
    ++count;
    at = headEnd + 4 + length;
  }
}

}  // namespace

RawTlsClient::RawTlsClient(int port, const std::filesystem::path& caFile, const std::string& sourceAddress,
                           std::chrono::milliseconds timeout)
    : timeout_(timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in source{};
  source.sin_family = AF_INET;
  inet_pton(AF_INET, sourceAddress.c_str(), &source.sin_addr);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof(source)) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return;
  }
  fd_ = fd;
  ctx_ = SSL_CTX_new(TLS_client_method());
  SSL_CTX_load_verify_locations(ctx_, caFile.c_str(), nullptr);
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  SSL_set1_host(ssl_, "127.0.0.1");
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000) * 1000};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

RawTlsClient::~RawTlsClient() {
  if (ssl_) SSL_free(ssl_);
  if (ctx_) SSL_CTX_free(ctx_);
  if (fd_ >= 0) ::close(fd_);
}

bool RawTlsClient::handshake() {
  return ssl_ && SSL_connect(ssl_) == 1;
}

bool RawTlsClient::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    int n = SSL_write(ssl_, bytes.data() + sent, static_cast<int>(bytes.size() - sent));
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::string RawTlsClient::readUntilClosed() {
  std::string out;
  char buffer[16384];
  auto deadline = Clock::now() + timeout_;
  while (Clock::now() < deadline) {
    int n = SSL_read(ssl_, buffer, sizeof(buffer));
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

std::string RawTlsClient::readResponses(int count) {
  std::string out;
  char buffer[16384];
  auto deadline = Clock::now() + timeout_;
  while (completeResponses(out) < count && Clock::now() < deadline) {
    int n = SSL_read(ssl_, buffer, sizeof(buffer));
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

bool RawTlsClient::closedByServer() {
  if (fd_ < 0) return true;
  if (!waitFor(fd_, POLLIN, Clock::now() + timeout_)) return false;
  char byte;
  return ::recv(fd_, &byte, 1, 0) <= 0;
}

int countOf(const std::string& haystack, const std::string& needle) {
  int count = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++count;
  return count;
}

std::string postRequest(const std::string& path, const std::string& body, const std::string& extraHeaders) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extraHeaders + "\r\n" + body;
}

}  // namespace sessiongate::webhook::testing
