#pragma once
// TlsConnection is one accepted socket and its OpenSSL state, driven without blocking by the event loop:
// each call does what the socket allows now and says what it waits for. Everything here runs on the loop
// thread; the connection's request state is kept by the loop (https_server.cpp).
#include <openssl/ssl.h>

#include <cstddef>
#include <string>

namespace sessiongate::webhook {

// IoStatus is what a non-blocking step did: finished or moved on (Done), needs the socket readable
// (WantRead) or writable (WantWrite), or the connection is over (Closed: end of stream, reset, or a TLS
// error).
enum class IoStatus { Done, WantRead, WantWrite, Closed };

// growFor makes room in buffer for needed bytes: by doubling, as std::string does, but never past most
// unless needed is more (a buffer bounded by a Content-Length or --max-body-bytes is not doubled past it).
void growFor(std::string& buffer, std::size_t needed, std::size_t most);

class TlsConnection {
 public:
  // TlsConnection takes ownership of fd (non-blocking); its TLS session is made when the handshake starts,
  // so a connection that has not sent its whole ClientHello holds no OpenSSL state.
  TlsConnection(SSL_CTX& ctx, int fd);
  ~TlsConnection();
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  int fd() const { return fd_; }

  // helloArrived: Done once the client's first record has arrived whole (or is not a handshake record,
  // which OpenSSL will refuse), WantRead until then, Closed when the client left. Reads nothing.
  IoStatus helloArrived();
  // handshake steps the TLS handshake, making the TLS session on its first call; Closed if it cannot.
  IoStatus handshake();
  // clientCertificateVerified: a client certificate was presented and verified (after the handshake).
  bool clientCertificateVerified() const;
  // read appends at most max bytes of plaintext to buffer (growing it as growFor does, up to most); Done
  // when it appended any.
  IoStatus read(std::string& buffer, std::size_t max, std::size_t most);
  // pending is true when OpenSSL holds decrypted bytes that polling the socket does not show.
  bool pending() const;
  // write sends data from offset on, advancing offset; Done when all of it is sent.
  IoStatus write(const std::string& data, std::size_t& offset);
  // closeWriting sends close_notify (best effort), shuts down the sending side of the socket, so the
  // client reads the end of the answer, and frees the TLS state: what the client still sends is read raw
  // and discarded by discard(); no other call may follow.
  void closeWriting();
  // discard reads and drops at most max raw bytes: WantRead when it read them all or the socket would
  // block, Closed at its end; counts them.
  IoStatus discard(std::size_t& counted, std::size_t max);

 private:
  int fd_;
  SSL_CTX& ctx_;
  SSL* ssl_ = nullptr;  // from the handshake's start to closeWriting()
};

}  // namespace sessiongate::webhook
