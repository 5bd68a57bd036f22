#include "test_certs.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace sessiongate::kube::testing {
namespace {

EVP_PKEY* newKey() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (!key) throw std::runtime_error("EVP_EC_gen failed");
  return key;
}

void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) throw std::runtime_error("bad extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

std::string pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

std::string pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

// issue makes a certificate for subjectCn signed by issuer (self-signed when issuer is null).
IssuedCert issue(const char* subjectCn, const IssuedCert* issuer, long serial,
                 const std::vector<std::pair<int, const char*>>& extensions) {
  IssuedCert out;
  out.key = newKey();
  out.cert = X509_new();
  X509_set_version(out.cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(out.cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(out.cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(out.cert), 24 * 3600);
  X509_NAME* name = X509_get_subject_name(out.cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(subjectCn), -1,
                             -1, 0);
  X509_set_issuer_name(out.cert, issuer ? X509_get_subject_name(issuer->cert) : name);
  X509_set_pubkey(out.cert, out.key);
  for (const auto& [nid, value] : extensions)
    addExtension(out.cert, issuer ? issuer->cert : out.cert, nid, value);
  X509_sign(out.cert, issuer ? issuer->key : out.key, EVP_sha256());
  out.certPem = pem(out.cert);
  out.keyPem = pem(out.key);
  return out;
}

void release(IssuedCert& c) {
  X509_free(c.cert);
  EVP_PKEY_free(c.key);
}

}  // namespace

TestPki::TestPki(const std::string& caName) {
  ca_ = issue(caName.c_str(), nullptr, 1,
              {{NID_basic_constraints, "critical,CA:TRUE"}, {NID_key_usage, "critical,keyCertSign,cRLSign"}});
  server_ = issue("kube-apiserver", &ca_, 2,
                  {{NID_basic_constraints, "critical,CA:FALSE"},
                   {NID_ext_key_usage, "serverAuth"},
                   {NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"}});
  client_ = issue("alice", &ca_, 3,
                  {{NID_basic_constraints, "critical,CA:FALSE"}, {NID_ext_key_usage, "clientAuth"}});
}

TestPki::~TestPki() {
  release(ca_);
  release(server_);
  release(client_);
}

X509_STORE* TestPki::clientCaStore() const {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca_.cert);
  return store;
}

}  // namespace sessiongate::kube::testing
