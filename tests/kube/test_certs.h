#pragma once
// TestPki generates, in memory, a CA, a serving certificate for 127.0.0.1 and a client certificate, so TLS
// tests need no files from the repository and no openssl binary.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

namespace sessiongate::kube::testing {

// IssuedCert is a certificate and its key; PEM copies are kept for configs.
struct IssuedCert {
  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
  std::string certPem;
  std::string keyPem;
};

// TestPki owns a CA and the certificates it issued.
class TestPki {
 public:
  explicit TestPki(const std::string& caName = "sessiongate-test-ca");
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  const IssuedCert& ca() const { return ca_; }
  const IssuedCert& server() const { return server_; }  // SAN IP:127.0.0.1
  const IssuedCert& client() const { return client_; }  // CN=alice
  // clientCaStore is a new store holding the CA, for a server that verifies client certificates.
  X509_STORE* clientCaStore() const;

 private:
  IssuedCert ca_, server_, client_;
};

}  // namespace sessiongate::kube::testing
