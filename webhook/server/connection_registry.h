#pragma once
// ConnectionRegistry knows the server's open TLS connections so that a drain that runs out of time can cut
// them (idle ones close by themselves: TlsHttpServer wakes them when the listener closes). A connection is
// registered from the TLS ClientHello callback and forgotten when OpenSSL frees it, which cpp-httplib does
// before closing the socket, so a registered descriptor is never a reused one.
#include <openssl/ssl.h>

#include <cstddef>
#include <mutex>
#include <set>

namespace sessiongate::webhook {

// ConnectionRegistry tracks open connections.
class ConnectionRegistry {
 public:
  // install hooks the registry into ctx; the registry must outlive every connection of ctx.
  void install(SSL_CTX& ctx);

  // closeAll shuts down every connection.
  void closeAll();
  std::size_t size() const;

 private:
  struct Connection;
  static int onClientHello(SSL* ssl, int* alert, void* registry);
  static void onFree(void* parent, void* data, CRYPTO_EX_DATA* ad, int index, long argl, void* argp);
  static int exDataIndex();

  mutable std::mutex mu_;
  std::set<Connection*> connections_;
};

}  // namespace sessiongate::webhook
