#pragma once
// RawTlsClient is a TLS connection to 127.0.0.1 that sends exactly the bytes a test gives, from a chosen
// loopback source address, for what an HTTP client library will not send: pipelined requests, oversized
// or encoded heads, chunked bodies, requests that stop half way.
#include <openssl/ssl.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace sessiongate::webhook::testing {

// RawTlsClient is one connection; every wait is bounded by timeout.
class RawTlsClient {
 public:
  // RawTlsClient connects over TCP from sourceAddress (any 127.x.y.z); handshake() does the TLS part.
  RawTlsClient(int port, const std::filesystem::path& caFile, const std::string& sourceAddress = "127.0.0.1",
               std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~RawTlsClient();
  RawTlsClient(const RawTlsClient&) = delete;
  RawTlsClient& operator=(const RawTlsClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool handshake();
  bool send(const std::string& bytes);
  // readUntilClosed reads until the server closes the connection (or timeout); everything read.
  std::string readUntilClosed();
  // readResponses reads until count complete HTTP responses (Content-Length framed) have arrived.
  std::string readResponses(int count);
  // closedWithoutHandshakeData is true when the server closed the TCP connection (EOF or reset) before
  // sending anything.
  bool closedByServer();

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::chrono::milliseconds timeout_;
};

// countOf is how often needle occurs in haystack.
int countOf(const std::string& haystack, const std::string& needle);

// postRequest is a POST with a Content-Length body and the given extra header lines.
std::string postRequest(const std::string& path, const std::string& body, const std::string& extraHeaders = "");

}  // namespace sessiongate::webhook::testing
