#pragma once
// TlsMaterial is the parsed TLS side of a ClientConfig: the client certificate and key (from files or from
// kubeconfig *-data fields) and a CA file for verifying the server. cpp-httplib 0.11 only reads trust anchors
// from a file (an X509_STORE handed to it would be merged with the system roots), so CA data held in memory
// is written to an anonymous file: created 0600 in the temp directory and unlinked at once, held open by
// this object and named /proc/self/fd/N. Nothing is left on disk, even when the process is killed.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "core/kube/client_config.h"
#include "core/result.h"

namespace sessiongate::kube {

// TlsMaterial owns the OpenSSL objects; clients built from it take their own references.
class TlsMaterial {
 public:
  static Result<std::shared_ptr<TlsMaterial>> load(const ClientConfig& config);
  ~TlsMaterial();
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;

  X509* clientCert() const { return cert_; }  // null when the user has no client certificate
  EVP_PKEY* clientKey() const { return key_; }
  const std::string& caFile() const { return caFile_; }  // empty: the system's trust store
  bool verifyServer() const { return verify_; }

 private:
  TlsMaterial() = default;
  X509* cert_ = nullptr;
  EVP_PKEY* key_ = nullptr;
  std::string caFile_;
  int caDataFd_ = -1;  // the anonymous file holding CA data, closed on destruction
  bool verify_ = true;
};

}  // namespace sessiongate::kube
