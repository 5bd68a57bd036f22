#pragma once
// configureTlsContext sets up the server's SSL_CTX: TLS 1.2 and 1.3 only, forward-secret AEAD ciphers, no
// renegotiation or compression, the serving certificate taken from a CertWatcher on every handshake, and
// optionally a required client certificate signed by a given CA (the API server's).
#include <openssl/ssl.h>

#include <filesystem>
#include <optional>

#include "core/result.h"
#include "webhook/server/cert_watcher.h"

namespace sessiongate::webhook {

// kTls12CipherList is the TLS 1.2 cipher list (Mozilla "intermediate"); TLS 1.3 uses OpenSSL's defaults.
inline constexpr const char* kTls12CipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// configureTlsContext applies the settings above; certs must outlive every connection of ctx. An error
// names the setting or file that failed.
Result<bool> configureTlsContext(SSL_CTX& ctx, const CertWatcher& certs,
                                 const std::optional<std::filesystem::path>& clientCAFile);

}  // namespace sessiongate::webhook
