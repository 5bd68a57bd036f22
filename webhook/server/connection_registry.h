#pragma once
// ConnectionRegistry knows the server's open TLS connections so that a drain can close the idle ones.
// cpp-httplib waits for the next request on a keep-alive connection without looking at the server's state,
// so without this an idle client would hold a shutdown for the whole keep-alive timeout. A connection is
// registered from the TLS ClientHello callback and forgotten when OpenSSL frees it, which cpp-httplib does
// before closing the socket, so a registered descriptor is never a reused one.
#include <openssl/ssl.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <set>

namespace sessiongate::webhook {

// ConnectionRegistry tracks open connections and whether each is handling a request.
class ConnectionRegistry {
 public:
  // install hooks the registry into ctx; the registry must outlive every connection of ctx.
  void install(SSL_CTX& ctx);

  // requestStarted and requestFinished mark the calling thread's connection busy or idle; cpp-httplib
  // serves a connection on one thread from its handshake to its close.
  static void requestStarted();
  static void requestFinished();

  // closeIdle shuts down the connections waiting for a request; closeAll shuts down every connection.
  void closeIdle();
  void closeAll();
  std::size_t size() const;

 private:
  struct Connection;
  static int onClientHello(SSL* ssl, int* alert, void* registry);
  static void onFree(void* parent, void* data, CRYPTO_EX_DATA* ad, int index, long argl, void* argp);
  static int exDataIndex();
  void shutdownWhere(bool idleOnly);

  static thread_local Connection* current_;

  mutable std::mutex mu_;
  std::set<Connection*> connections_;
};

}  // namespace sessiongate::webhook
