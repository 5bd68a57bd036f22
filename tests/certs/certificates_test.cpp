// Parses the generated PEMs back with OpenSSL and checks what the API server and TLS clients rely on:
// the chain, the exact SANs, key usage, validity, serials and that each key belongs to its certificate.
#include "certs/certificates.h"

#include <openssl/x509_vfy.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "certs/pem.h"

namespace sessiongate::certs {
namespace {

X509Ptr cert(const std::string& pem) {
  auto parsed = certificateFromPem(pem, "test certificate");
  REQUIRE(parsed.ok());
  return std::move(*parsed);
}

PkeyPtr key(const std::string& pem) {
  auto parsed = privateKeyFromPem(pem, "test key");
  REQUIRE(parsed.ok());
  return std::move(*parsed);
}

std::vector<std::string> subjectAltNames(X509& certificate) {
  std::vector<std::string> names;
  auto* general =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(&certificate, NID_subject_alt_name, nullptr, nullptr));
  if (!general) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(general); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(general, i);
    if (name->type == GEN_DNS) {
      names.push_back("DNS:" +
                      std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName))));
    } else if (name->type == GEN_IPADD) {
      char* text = OPENSSL_buf2hexstr(name->d.iPAddress->data, name->d.iPAddress->length);
      names.push_back(std::string("IPHEX:") + text);
      OPENSSL_free(text);
    }
  }
  GENERAL_NAMES_free(general);
  return names;
}

std::string subjectField(X509& certificate, int nid) {
  X509_NAME* name = X509_get_subject_name(&certificate);
  int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  return reinterpret_cast<const char*>(ASN1_STRING_get0_data(data));
}

bool isCritical(X509& certificate, int nid) {
  int index = X509_get_ext_by_NID(&certificate, nid, -1);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(&certificate, index)) == 1;
}

// verify runs X509_verify_cert with ca as the only trust anchor; host or ip, when set, must match a SAN.
bool verify(X509& leaf, X509& ca, int purpose, const std::string& host = {}, const std::string& ip = {}) {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, &ca);
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  X509_STORE_CTX_init(context, store, &leaf, nullptr);
  X509_STORE_CTX_set_purpose(context, purpose);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context);
  if (!host.empty()) X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  if (!ip.empty()) X509_VERIFY_PARAM_set1_ip_asc(param, ip.c_str());
  bool ok = X509_verify_cert(context) == 1;
  X509_STORE_CTX_free(context);
  X509_STORE_free(store);
  ERR_clear_error();
  return ok;
}

struct KeyCase {
  KeyType type;
  int signatureNid;
  const char* label;
};

const KeyCase keyCases[] = {{KeyType::EcP256, NID_ecdsa_with_SHA256, "EC P-256"},
                            {KeyType::Rsa2048, NID_sha256WithRSAEncryption, "RSA 2048"}};

}  // namespace

TEST_CASE("serving certificate carries exactly the service SANs", "[certs][san]") {
  auto bundle = generateCertificates({"sessiongate-webhook", "sessiongate-system", 365, KeyType::EcP256});
  REQUIRE(bundle.ok());
  X509Ptr tls = cert(bundle->tlsCertPem);
  CHECK(subjectAltNames(*tls) == std::vector<std::string>{
                                     "DNS:sessiongate-webhook",
                                     "DNS:sessiongate-webhook.sessiongate-system",
                                     "DNS:sessiongate-webhook.sessiongate-system.svc",
                                     "DNS:sessiongate-webhook.sessiongate-system.svc.cluster.local",
                                     "DNS:localhost",
                                     "IPHEX:7F:00:00:01",
                                     "IPHEX:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01",
                                 });
  X509Ptr ca = cert(bundle->caCertPem);
  CHECK(subjectAltNames(*ca).empty());
  CHECK(servingSubjectAltNames("a", "b") ==
        std::vector<std::string>{"DNS:a", "DNS:a.b", "DNS:a.b.svc", "DNS:a.b.svc.cluster.local",
                                 "DNS:localhost", "IP:127.0.0.1", "IP:::1"});
}

TEST_CASE("serving certificate chains to the CA for every name", "[certs][chain]") {
  for (const KeyCase& keyCase : keyCases) {
    SECTION(keyCase.label) {
      auto bundle = generateCertificates({"hook", "infra", 30, keyCase.type});
      REQUIRE(bundle.ok());
      X509Ptr ca = cert(bundle->caCertPem);
      X509Ptr tls = cert(bundle->tlsCertPem);
      CHECK(verify(*tls, *ca, X509_PURPOSE_SSL_SERVER));
      for (const char* host :
           {"hook", "hook.infra", "hook.infra.svc", "hook.infra.svc.cluster.local", "localhost"}) {
        INFO(host);
        CHECK(verify(*tls, *ca, X509_PURPOSE_SSL_SERVER, host));
      }
      CHECK(verify(*tls, *ca, X509_PURPOSE_SSL_SERVER, {}, "127.0.0.1"));
      CHECK(verify(*tls, *ca, X509_PURPOSE_SSL_SERVER, {}, "::1"));
      CHECK_FALSE(verify(*tls, *ca, X509_PURPOSE_SSL_SERVER, "hook.other.svc"));
      CHECK_FALSE(verify(*tls, *ca, X509_PURPOSE_SSL_SERVER, {}, "10.0.0.1"));
      CHECK_FALSE(verify(*tls, *ca, X509_PURPOSE_SSL_CLIENT));
      CHECK(X509_get_signature_nid(tls.get()) == keyCase.signatureNid);
      CHECK(X509_get_signature_nid(ca.get()) == keyCase.signatureNid);
    }
  }
}

TEST_CASE("a serving certificate does not verify against another CA", "[certs][chain]") {
  auto first = generateCertificates({"hook", "infra", 30, KeyType::EcP256});
  auto second = generateCertificates({"hook", "infra", 30, KeyType::EcP256});
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  X509Ptr otherCa = cert(second->caCertPem);
  X509Ptr tls = cert(first->tlsCertPem);
  CHECK_FALSE(verify(*tls, *otherCa, X509_PURPOSE_SSL_SERVER));
}

TEST_CASE("each key belongs to its certificate", "[certs][keys]") {
  auto bundle = generateCertificates({"hook", "infra", 30, KeyType::EcP256});
  REQUIRE(bundle.ok());
  X509Ptr ca = cert(bundle->caCertPem);
  X509Ptr tls = cert(bundle->tlsCertPem);
  PkeyPtr caKey = key(bundle->caKeyPem);
  PkeyPtr tlsKey = key(bundle->tlsKeyPem);
  CHECK(X509_check_private_key(ca.get(), caKey.get()) == 1);
  CHECK(X509_check_private_key(tls.get(), tlsKey.get()) == 1);
  CHECK(X509_check_private_key(tls.get(), caKey.get()) != 1);
  ERR_clear_error();
  CHECK(bundle->tlsKeyPem.rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
  CHECK(bundle->tlsCertPem.rfind("-----BEGIN CERTIFICATE-----\n", 0) == 0);
}

TEST_CASE("CA and serving certificates have the right constraints and usages", "[certs][extensions]") {
  auto bundle = generateCertificates({"hook", "infra", 30, KeyType::EcP256});
  REQUIRE(bundle.ok());
  X509Ptr ca = cert(bundle->caCertPem);
  X509Ptr tls = cert(bundle->tlsCertPem);

  CHECK((X509_get_extension_flags(ca.get()) & EXFLAG_CA) != 0);
  CHECK(isCritical(*ca, NID_basic_constraints));
  CHECK(isCritical(*ca, NID_key_usage));
  CHECK(X509_get_key_usage(ca.get()) == (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  CHECK(X509_check_ca(ca.get()) == 1);
  CHECK(subjectField(*ca, NID_commonName) == "sessiongate-ca");

  CHECK((X509_get_extension_flags(tls.get()) & EXFLAG_CA) == 0);
  CHECK(X509_check_ca(tls.get()) == 0);
  CHECK(X509_get_key_usage(tls.get()) == (KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT));
  CHECK(X509_get_extended_key_usage(tls.get()) == XKU_SSL_SERVER);
  CHECK(X509_get_version(tls.get()) == X509_VERSION_3);
  CHECK(X509_NAME_cmp(X509_get_issuer_name(tls.get()), X509_get_subject_name(ca.get())) == 0);
}

TEST_CASE("validity spans the requested days from a backdated start", "[certs][validity]") {
  for (int days : {1, 30, 365, 3650}) {
    INFO(days);
    // The issuing time is read from the system clock between these two readings (time(NULL), which
    // ASN1_TIME_diff compares with, is a coarse clock that may still show the previous second).
    const std::time_t before = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    auto bundle = generateCertificates({"hook", "infra", days, KeyType::EcP256});
    const std::time_t after = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    REQUIRE(bundle.ok());
    for (const std::string* pem : {&bundle->caCertPem, &bundle->tlsCertPem}) {
      X509Ptr certificate = cert(*pem);
      int spanDays = -1;
      int spanSeconds = -1;
      REQUIRE(ASN1_TIME_diff(&spanDays, &spanSeconds, X509_get0_notBefore(certificate.get()),
                             X509_get0_notAfter(certificate.get())) == 1);
      CHECK(spanDays == days);
      CHECK(spanSeconds == kCertificateBackdateSeconds);
      // notBefore is the issuing time less the backdate, to the second.
      CHECK(ASN1_TIME_cmp_time_t(X509_get0_notBefore(certificate.get()),
                                 before - kCertificateBackdateSeconds) >= 0);
      CHECK(ASN1_TIME_cmp_time_t(X509_get0_notBefore(certificate.get()),
                                 after - kCertificateBackdateSeconds) <= 0);
    }
  }
}

TEST_CASE("serials are random, positive and 128 bits", "[certs][serial]") {
  auto first = generateCertificates({"hook", "infra", 30, KeyType::EcP256});
  auto second = generateCertificates({"hook", "infra", 30, KeyType::EcP256});
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  std::vector<X509Ptr> certificates;
  for (const auto* bundle : {&*first, &*second}) {
    certificates.push_back(cert(bundle->caCertPem));
    certificates.push_back(cert(bundle->tlsCertPem));
  }
  std::vector<std::string> serials;
  for (const X509Ptr& certificate : certificates) {
    BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate.get()), nullptr));
    REQUIRE(serial);
    CHECK_FALSE(BN_is_negative(serial.get()));
    CHECK(BN_num_bits(serial.get()) == 127);
    char* hex = BN_bn2hex(serial.get());
    serials.emplace_back(hex);
    OPENSSL_free(hex);
  }
  std::sort(serials.begin(), serials.end());
  CHECK(std::unique(serials.begin(), serials.end()) == serials.end());
}

TEST_CASE("invalid certificate requests are refused with a reason", "[certs][request]") {
  struct Case {
    CertRequest request;
    std::string message;
  };
  const Case cases[] = {
      {{"", "infra", 30},
       "service name \"\" is not a DNS label: use 1-63 lowercase letters, digits and '-', starting and "
       "ending with "
       "a letter or digit"},
      {{"Hook", "infra", 30},
       "service name \"Hook\" is not a DNS label: use 1-63 lowercase letters, digits and '-', starting and "
       "ending "
       "with a letter or digit"},
      {{"hook", "infra.system", 30},
       "namespace \"infra.system\" is not a DNS label: use 1-63 lowercase letters, digits and '-', starting "
       "and "
       "ending with a letter or digit"},
      {{"hook", "-infra", 30},
       "namespace \"-infra\" is not a DNS label: use 1-63 lowercase letters, digits and '-', starting and "
       "ending "
       "with a letter or digit"},
      {{"hook", "infra", 0}, "validity must be between 1 and 36500 days, got 0"},
      {{"hook", "infra", 36501}, "validity must be between 1 and 36500 days, got 36501"},
  };
  for (const Case& c : cases) {
    auto bundle = generateCertificates(c.request);
    REQUIRE_FALSE(bundle.ok());
    CHECK(bundle.error() == c.message);
  }
}

TEST_CASE("client certificates authenticate against the CA", "[certs][client]") {
  auto bundle = generateCertificates({"hook", "infra", 30, KeyType::EcP256});
  REQUIRE(bundle.ok());
  auto client =
      generateClientCertificate({"kube-apiserver", "system:masters", 7}, bundle->caCertPem, bundle->caKeyPem);
  REQUIRE(client.ok());
  X509Ptr ca = cert(bundle->caCertPem);
  X509Ptr leaf = cert(client->certPem);
  PkeyPtr leafKey = key(client->keyPem);
  CHECK(verify(*leaf, *ca, X509_PURPOSE_SSL_CLIENT));
  CHECK_FALSE(verify(*leaf, *ca, X509_PURPOSE_SSL_SERVER));
  CHECK(X509_check_private_key(leaf.get(), leafKey.get()) == 1);
  CHECK(subjectField(*leaf, NID_commonName) == "kube-apiserver");
  CHECK(subjectField(*leaf, NID_organizationName) == "system:masters");
  CHECK(X509_get_extended_key_usage(leaf.get()) == XKU_SSL_CLIENT);
  CHECK(subjectAltNames(*leaf).empty());
  int spanDays = -1;
  int spanSeconds = -1;
  REQUIRE(ASN1_TIME_diff(&spanDays, &spanSeconds, X509_get0_notBefore(leaf.get()),
                         X509_get0_notAfter(leaf.get())));
  CHECK(spanDays == 7);
}

TEST_CASE("client certificate requests with bad inputs are refused", "[certs][client]") {
  auto bundle = generateCertificates({"hook", "infra", 30, KeyType::EcP256});
  auto other = generateCertificates({"hook", "infra", 30, KeyType::EcP256});
  REQUIRE(bundle.ok());
  REQUIRE(other.ok());
  struct Case {
    ClientCertRequest request;
    std::string caCert;
    std::string caKey;
    std::string message;
  };
  const Case cases[] = {
      {{"", "", 7}, bundle->caCertPem, bundle->caKeyPem, "a client certificate needs a common name"},
      {{"tester", "", 0},
       bundle->caCertPem,
       bundle->caKeyPem,
       "validity must be between 1 and 36500 days, got 0"},
      {{"tester", "", 7},
       bundle->caCertPem,
       other->caKeyPem,
       "the CA key does not belong to the CA certificate"},
  };
  for (const Case& c : cases) {
    auto client = generateClientCertificate(c.request, c.caCert, c.caKey);
    REQUIRE_FALSE(client.ok());
    CHECK(client.error() == c.message);
  }
  auto garbage = generateClientCertificate({"tester", "", 7}, "not a certificate", bundle->caKeyPem);
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().rfind("CA certificate is not a PEM certificate", 0) == 0);
}

}  // namespace sessiongate::certs
