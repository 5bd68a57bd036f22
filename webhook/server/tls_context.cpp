#include "webhook/server/tls_context.h"
#include "webhook/server/openssl_error.h"

#include <openssl/err.h>

#include <string>

namespace sessiongate::webhook {
namespace {

// useCurrentCertificate installs the watcher's current pair on one connection. Running per handshake (not
// once on the SSL_CTX) is what lets a reload take effect without touching connections in progress.
int useCurrentCertificate(SSL* ssl, void* watcher) {
  auto pair = static_cast<const CertWatcher*>(watcher)->current();
  if (!pair) return 0;
  return SSL_use_cert_and_key(ssl, pair->leaf, pair->key, pair->chain, 1) == 1 ? 1 : 0;
}

}  // namespace

Result<bool> configureTlsContext(SSL_CTX& ctx, const CertWatcher& certs,
                                 const std::optional<std::filesystem::path>& clientCAFile) {
  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1) {
    return Error{"cannot require TLS 1.2: " + opensslReason()};
  }
  if (SSL_CTX_set_cipher_list(&ctx, kTls12CipherList) != 1) {
    return Error{"cannot set the TLS 1.2 cipher list: " + opensslReason()};
  }
  SSL_CTX_set_options(
      &ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  SSL_CTX_set_mode(&ctx, SSL_MODE_RELEASE_BUFFERS);  // idle keep-alive connections hold no buffers
  // No session resumption: the API server keeps its connections open rather than resuming, and a session
  // cache and tickets would cost memory per client and a write after every handshake.
  SSL_CTX_set_session_cache_mode(&ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(&ctx, 0);
  SSL_CTX_set_cert_cb(&ctx, &useCurrentCertificate, const_cast<CertWatcher*>(&certs));

  if (clientCAFile) {
    auto path = clientCAFile->string();
    if (SSL_CTX_load_verify_locations(&ctx, path.c_str(), nullptr) != 1) {
      return Error{"cannot load the client CA " + path + ": " + opensslReason() +
                   "; --client-ca must be a PEM file of CA certificates"};
    }
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(path.c_str());
    if (names == nullptr) return Error{"no CA certificate in the client CA file " + path};
    SSL_CTX_set_client_CA_list(&ctx, names);
    // A certificate that is presented must verify, or the handshake fails. One that is absent is let
    // through the handshake only so that the kubelet's HTTPS probes (/healthz, /readyz), which present none,
    // work; the review endpoints refuse such connections (WebhookServer::handleReview).
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
  }
  return true;
}

}  // namespace sessiongate::webhook
