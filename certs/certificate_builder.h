#pragma once
// Key generation and the one function that builds and signs an X.509 v3 certificate; the CA, serving and
// client certificates differ only in their CertificateSpec.
#include <string>
#include <utility>
#include <vector>

#include "certs/openssl_handles.h"
#include "core/clock.h"
#include "core/result.h"

namespace sessiongate::certs {

// KeyType is the algorithm of a generated key.
enum class KeyType { EcP256, Rsa2048 };

// generateKey creates a fresh private key.
Result<PkeyPtr> generateKey(KeyType type);

// CertificateSpec is everything that differs between the certificates this component issues. Extension
// values use OpenSSL's configuration syntax, e.g. {"keyUsage", "critical,keyCertSign,cRLSign"}.
struct CertificateSpec {
  std::vector<std::pair<std::string, std::string>> subject;  // e.g. {"CN", "sessiongate-ca"}, {"O", "..."}
  int days = 365;
  std::vector<std::pair<std::string, std::string>> extensions;  // ordered (name, value)
};

// kCertificateBackdateSeconds is how far notBefore lies before now, to absorb small clock skew between
// the machine that issues and the one that verifies.
inline constexpr long kCertificateBackdateSeconds = 300;

// buildCertificate makes a SHA-256-signed v3 certificate for subjectKey with a random positive 128-bit
// serial. With issuer null the certificate is self-signed by subjectKey (a CA root); otherwise it is signed
// by issuerKey and names issuer as its issuer. The validity period starts from clock's wall time.
Result<X509Ptr> buildCertificate(const CertificateSpec& spec, EVP_PKEY& subjectKey, X509* issuer,
                                 EVP_PKEY& issuerKey, const Clock& clock = realClock());

}  // namespace sessiongate::certs
