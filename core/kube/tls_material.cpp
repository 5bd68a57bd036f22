#include "core/kube/tls_material.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "core/file_text.h"

namespace sessiongate::kube {
namespace {

std::string opensslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no PEM data found";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  return buf;
}

// pemBytes returns the data, or the contents of the file when there is no data.
Result<std::string> pemBytes(const std::string& data, const std::string& file, const std::string& what) {
  if (!data.empty()) return data;
  auto text = fileText(file);
  if (!text) return Error{what + " file " + file + " cannot be read"};
  return *text;
}

std::unique_ptr<BIO, decltype(&BIO_free)> memoryBio(const std::string& pem) {
  return {BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free};
}

using CertificateStack = std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)>;

void freeCertificates(STACK_OF(X509) * certs) {
  sk_X509_pop_free(certs, X509_free);
}

// readCaBundle parses every certificate of a PEM bundle; text between the blocks is ignored, as OpenSSL
// does when it loads a CA file. where names the source in errors.
Result<CertificateStack> readCaBundle(const std::string& pem, const std::string& where) {
  CertificateStack certs(sk_X509_new_null(), &freeCertificates);
  auto bio = memoryBio(pem);
  ERR_clear_error();
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    sk_X509_push(certs.get(), cert);
  }
  bool atEnd = ERR_GET_REASON(ERR_peek_last_error()) == PEM_R_NO_START_LINE;
  int count = sk_X509_num(certs.get());
  if (count == 0) return Error{where + ": certificate-authority is not a PEM certificate: " + opensslError()};
  if (!atEnd) {
    return Error{where + ": certificate-authority: certificate " + std::to_string(count + 1) +
                 " of the bundle is broken: " + opensslError()};
  }
  ERR_clear_error();
  return certs;
}

// verifyWithCaData is the SSL_CTX's certificate verification: OpenSSL's own, with the CA data as the trusted
// certificates instead of the context's store.
int verifyWithCaData(X509_STORE_CTX* storeContext, void* caData) {
  X509_STORE_CTX_set0_trusted_stack(storeContext, static_cast<STACK_OF(X509)*>(caData));
  return X509_verify_cert(storeContext);
}

}  // namespace

Result<std::shared_ptr<TlsMaterial>> TlsMaterial::load(const ClientConfig& config) {
  std::shared_ptr<TlsMaterial> m(new TlsMaterial());
  const std::string& where = config.origin;
  m->verify_ = !config.insecureSkipTlsVerify;

  if (!config.caData.empty() || !config.caFile.empty()) {
    auto ca = pemBytes(config.caData, config.caFile, "certificate-authority");
    if (!ca) return Error{where + ": " + ca.error()};
    auto certs = readCaBundle(*ca, where);
    if (!certs) return Error{certs.error()};
    if (!config.caData.empty()) {
      m->caData_ = certs->release();
    } else {
      m->caFile_ = config.caFile;
    }
  }

  if (!config.clientCertData.empty() || !config.clientCertFile.empty()) {
    auto cert = pemBytes(config.clientCertData, config.clientCertFile, "client-certificate");
    if (!cert) return Error{where + ": " + cert.error()};
    auto key = pemBytes(config.clientKeyData, config.clientKeyFile, "client-key");
    if (!key) return Error{where + ": " + key.error()};
    auto certBio = memoryBio(*cert);
    m->cert_ = PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr);
    if (!m->cert_) return Error{where + ": client-certificate is not a PEM certificate: " + opensslError()};
    auto keyBio = memoryBio(*key);
    m->key_ = PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr);
    if (!m->key_) return Error{where + ": client-key is not a PEM private key: " + opensslError()};
    if (X509_check_private_key(m->cert_, m->key_) != 1) {
      ERR_clear_error();
      return Error{where + ": client-key does not match client-certificate"};
    }
  }
  return m;
}

int TlsMaterial::caDataCertificates() const {
  return caData_ ? sk_X509_num(caData_) : 0;
}

void TlsMaterial::trustOnlyCaData(SSL_CTX* context) const {
  if (caData_ && context) SSL_CTX_set_cert_verify_callback(context, &verifyWithCaData, caData_);
}

TlsMaterial::~TlsMaterial() {
  if (cert_) X509_free(cert_);
  if (key_) EVP_PKEY_free(key_);
  if (caData_) freeCertificates(caData_);
}

}  // namespace sessiongate::kube
