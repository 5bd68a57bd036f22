#pragma once
// PEM encoding and decoding of keys and certificates, in memory.
#include <string>
#include <string_view>

#include "certs/openssl_handles.h"
#include "core/result.h"

namespace sessiongate::certs {

// certificateToPem encodes a certificate as "-----BEGIN CERTIFICATE-----" text.
Result<std::string> certificateToPem(X509& certificate);

// privateKeyToPem encodes a key as unencrypted PKCS#8 "-----BEGIN PRIVATE KEY-----" text.
Result<std::string> privateKeyToPem(EVP_PKEY& key);

// certificateFromPem decodes the first certificate of PEM text; what names it in the error message.
Result<X509Ptr> certificateFromPem(std::string_view pem, std::string_view what);

// privateKeyFromPem decodes an unencrypted private key of PEM text; what names it in the error message.
Result<PkeyPtr> privateKeyFromPem(std::string_view pem, std::string_view what);

}  // namespace sessiongate::certs
