#include "webhook/server/connection_registry.h"

#include <sys/socket.h>

namespace sessiongate::webhook {

struct ConnectionRegistry::Connection {
  ConnectionRegistry* registry;
  int fd;
  bool shutDown = false;  // guarded by registry->mu_
};

int ConnectionRegistry::exDataIndex() {
  // The free callback belongs to the index, so one index with it serves every registry.
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, &ConnectionRegistry::onFree);
  return index;
}

void ConnectionRegistry::install(SSL_CTX& ctx) {
  exDataIndex();
  SSL_CTX_set_client_hello_cb(&ctx, &ConnectionRegistry::onClientHello, this);
}

int ConnectionRegistry::onClientHello(SSL* ssl, int* alert, void* registry) {
  // Called again after a HelloRetryRequest: the connection is already known.
  if (SSL_get_ex_data(ssl, exDataIndex()) != nullptr) return SSL_CLIENT_HELLO_SUCCESS;
  auto* self = static_cast<ConnectionRegistry*>(registry);
  auto* connection = new Connection{self, SSL_get_fd(ssl)};
  {
    std::lock_guard lock(self->mu_);
    self->connections_.insert(connection);
  }
  SSL_set_ex_data(ssl, exDataIndex(), connection);
  return SSL_CLIENT_HELLO_SUCCESS;
}

void ConnectionRegistry::onFree(void* parent, void* data, CRYPTO_EX_DATA* ad, int index, long argl,
                                void* argp) {
  auto* connection = static_cast<Connection*>(data);
  if (connection == nullptr) return;
  {
    std::lock_guard lock(connection->registry->mu_);
    connection->registry->connections_.erase(connection);
  }
  delete connection;
}

void ConnectionRegistry::closeAll() {
  std::lock_guard lock(mu_);
  for (Connection* connection : connections_) {
    if (connection->shutDown) continue;
    // shutdown, not close: the serving thread still owns the descriptor and sees end of stream.
    ::shutdown(connection->fd, SHUT_RDWR);
    connection->shutDown = true;
  }
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mu_);
  return connections_.size();
}

}  // namespace sessiongate::webhook
