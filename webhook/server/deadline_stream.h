#pragma once
// DeadlineStream is the httplib::Stream of one TLS connection, used instead of cpp-httplib's, whose read
// timeout restarts on every read (a client sending one byte per second holds a worker forever) and which
// bounds neither the size of a request head nor the bytes of a chunked body. Here:
// - the request head has one deadline from its first byte, and at most maxHeadBytes;
// - the body has one deadline from the end of the head, and at most maxBodyBytes on the wire (chunk
//   framing included, so a chunked body is bounded like any other);
// - each write has its own deadline.
// When a bound is passed, reads fail and fault() says which bound, so the answer can name it.
#include <httplib.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>

namespace sessiongate::webhook {

// StreamLimits are the bounds a DeadlineStream enforces.
struct StreamLimits {
  std::chrono::milliseconds headTimeout{std::chrono::seconds(10)};
  std::chrono::milliseconds bodyTimeout{std::chrono::seconds(30)};
  std::chrono::milliseconds writeTimeout{std::chrono::seconds(10)};
  std::size_t maxHeadBytes = 64 * 1024;
  std::size_t maxBodyBytes = 7 * 1024 * 1024;
};

// StreamFault is the bound a request passed, if any.
enum class StreamFault { None, HeadTimeout, HeadTooLarge, BodyTimeout, BodyTooLarge, Closed };

// DeadlineStream reads and writes one non-blocking TLS connection.
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(SSL& ssl, int fd, const StreamLimits& limits);

  // beginRequest starts the head phase of the next request; beginBody its body phase.
  void beginRequest();
  void beginBody();
  StreamFault fault() const { return fault_; }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return fd_; }

 private:
  using Clock = std::chrono::steady_clock;
  enum class Phase { Head, BetweenHeadAndBody, Body };
  // waitFor polls the socket for events until deadline; false on timeout or error.
  bool waitFor(short events, Clock::time_point deadline) const;
  void account(const char* data, std::size_t n);

  SSL& ssl_;
  const int fd_;
  const StreamLimits& limits_;
  Phase phase_ = Phase::Head;
  Clock::time_point readDeadline_;
  std::size_t phaseBytes_ = 0;
  int headEndMatched_ = 0;  // how much of "\r\n\r\n" the last head bytes matched
  StreamFault fault_ = StreamFault::None;
};

}  // namespace sessiongate::webhook
