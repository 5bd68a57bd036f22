#include "certs/certificate_builder.h"

#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <chrono>
#include <ctime>

namespace sessiongate::certs {
namespace {

constexpr int kSerialBytes = 16;

Result<bool> setRandomSerial(X509& certificate) {
  unsigned char bytes[kSerialBytes];
  if (RAND_bytes(bytes, kSerialBytes) != 1) return Error{opensslError("cannot draw a random serial")};
  bytes[0] &= 0x7f;  // DER integers are signed: keep the serial positive
  bytes[0] |= 0x40;  // and keep all 128 bits significant, so it never encodes shorter
  BignumPtr number(BN_bin2bn(bytes, kSerialBytes, nullptr));
  if (!number || !BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(&certificate))) {
    return Error{opensslError("cannot set the certificate serial")};
  }
  return true;
}

Result<bool> setSubject(X509& certificate, const CertificateSpec& spec) {
  X509_NAME* name = X509_get_subject_name(&certificate);
  for (const auto& [field, value] : spec.subject) {
    if (X509_NAME_add_entry_by_txt(name, field.c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0) != 1) {
      return Error{opensslError("cannot set subject " + field + "=" + value)};
    }
  }
  return true;
}

Result<bool> setValidity(X509& certificate, int days, WallTime now) {
  std::time_t issued = std::chrono::system_clock::to_time_t(now);
  if (!X509_time_adj_ex(X509_getm_notBefore(&certificate), 0, -kCertificateBackdateSeconds, &issued) ||
      !X509_time_adj_ex(X509_getm_notAfter(&certificate), days, 0, &issued)) {
    return Error{opensslError("cannot set the validity period")};
  }
  return true;
}

Result<bool> addExtensions(X509& certificate, X509* issuer, const CertificateSpec& spec) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer ? issuer : &certificate, &certificate, nullptr, nullptr, 0);
  for (const auto& [name, value] : spec.extensions) {
    int nid = OBJ_txt2nid(name.c_str());
    ExtensionPtr extension(nid == NID_undef ? nullptr
                                            : X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
    if (!extension || X509_add_ext(&certificate, extension.get(), -1) != 1) {
      return Error{opensslError("cannot add extension " + name + " = " + value)};
    }
  }
  return true;
}

}  // namespace

Result<PkeyPtr> generateKey(KeyType type) {
  PkeyPtr key(type == KeyType::EcP256 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                      : EVP_RSA_gen(2048));
  if (!key) return Error{opensslError("cannot generate a private key")};
  return key;
}

Result<X509Ptr> buildCertificate(const CertificateSpec& spec, EVP_PKEY& subjectKey, X509* issuer,
                                 EVP_PKEY& issuerKey, const Clock& clock) {
  X509Ptr certificate(X509_new());
  if (!certificate) return Error{opensslError("cannot allocate a certificate")};
  if (X509_set_version(certificate.get(), X509_VERSION_3) != 1) {
    return Error{opensslError("cannot set the certificate version")};
  }
  if (auto r = setRandomSerial(*certificate); !r) return Error{r.error()};
  if (auto r = setSubject(*certificate, spec); !r) return Error{r.error()};
  X509_NAME* issuerName = issuer ? X509_get_subject_name(issuer) : X509_get_subject_name(certificate.get());
  if (X509_set_issuer_name(certificate.get(), issuerName) != 1) {
    return Error{opensslError("cannot set the issuer name")};
  }
  if (auto r = setValidity(*certificate, spec.days, clock.wallNow()); !r) return Error{r.error()};
  if (X509_set_pubkey(certificate.get(), &subjectKey) != 1) {
    return Error{opensslError("cannot set the public key")};
  }
  if (auto r = addExtensions(*certificate, issuer, spec); !r) return Error{r.error()};
  if (X509_sign(certificate.get(), &issuerKey, EVP_sha256()) <= 0) {
    return Error{opensslError("cannot sign the certificate")};
  }
  return certificate;
}

}  // namespace sessiongate::certs
