#pragma once
// TlsMaterial is the parsed TLS side of a ClientConfig: the client certificate and key (from files or from
// kubeconfig *-data fields) and the CA certificates that verify the server. Nothing is written to disk: CA
// data given inline (certificate-authority-data) is held as parsed certificates and checked by a
// verification callback on each client's SSL_CTX (trustOnlyCaData), not handed to cpp-httplib as a store,
// because cpp-httplib 0.11 adds the system's default trust paths to the store of any client that has no CA
// file, and the configured CA must be the only one trusted (as in client-go). A CA file is handed to
// cpp-httplib by path, which reads it on each new client's first connection (a rotated ca.crt is picked up).
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "core/kube/client_config.h"
#include "core/result.h"

namespace sessiongate::kube {

// TlsMaterial owns the OpenSSL objects; clients built from it take their own references, except the CA
// certificates, which a client's SSL_CTX only borrows: the material must outlive the clients it set up.
class TlsMaterial {
 public:
  static Result<std::shared_ptr<TlsMaterial>> load(const ClientConfig& config);
  ~TlsMaterial();
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;

  X509* clientCert() const { return cert_; }  // null when the user has no client certificate
  EVP_PKEY* clientKey() const { return key_; }
  // caFile is the CA file to hand to the client by path; empty when there is none or the CA came as data.
  const std::string& caFile() const { return caFile_; }
  // caDataCertificates is how many certificates the inline CA data held (0: none given).
  int caDataCertificates() const;
  bool verifyServer() const { return verify_; }

  // trustOnlyCaData makes the certificates of the inline CA data the only trust anchors of context, whatever
  // else its store holds; without CA data (or without a context) it does nothing.
  void trustOnlyCaData(SSL_CTX* context) const;

 private:
  TlsMaterial() = default;
  X509* cert_ = nullptr;
  EVP_PKEY* key_ = nullptr;
  std::string caFile_;
  STACK_OF(X509) * caData_ = nullptr;  // the certificates of certificate-authority-data
  bool verify_ = true;
};

}  // namespace sessiongate::kube
