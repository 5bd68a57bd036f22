#include "certs/certificates.h"

#include <string_view>

#include "certs/pem.h"

namespace sessiongate::certs {
namespace {

constexpr int kMaxDays = 36500;

// isDnsLabel is true for an RFC 1123 label: 1..63 of [a-z0-9-], starting and ending alphanumeric.
bool isDnsLabel(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  for (char c : s) {
    if (!alnum(c) && c != '-') return false;
  }
  return alnum(s.front()) && alnum(s.back());
}

Result<bool> checkDays(int days) {
  if (days < 1 || days > kMaxDays) {
    return Error{"validity must be between 1 and " + std::to_string(kMaxDays) + " days, got " +
                 std::to_string(days)};
  }
  return true;
}

Result<bool> checkRequest(const CertRequest& request) {
  if (!isDnsLabel(request.service)) {
    return Error{"service name \"" + request.service +
                 "\" is not a DNS label: use 1-63 lowercase letters, digits and '-', starting and ending "
                 "with a letter or digit"};
  }
  if (!isDnsLabel(request.namespace_)) {
    return Error{"namespace \"" + request.namespace_ +
                 "\" is not a DNS label: use 1-63 lowercase letters, digits and '-', starting and ending "
                 "with a letter or digit"};
  }
  return checkDays(request.days);
}

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& item : items) {
    if (!s.empty()) s += ",";
    s += item;
  }
  return s;
}

// pemPair encodes a certificate and its key.
Result<std::pair<std::string, std::string>> pemPair(X509& certificate, EVP_PKEY& key) {
  auto certPem = certificateToPem(certificate);
  if (!certPem) return Error{certPem.error()};
  auto keyPem = privateKeyToPem(key);
  if (!keyPem) return Error{keyPem.error()};
  return std::make_pair(std::move(*certPem), std::move(*keyPem));
}

}  // namespace

std::vector<std::string> servingSubjectAltNames(const std::string& service, const std::string& namespace_) {
  const std::string qualified = service + "." + namespace_;
  return {"DNS:" + service,
          "DNS:" + qualified,
          "DNS:" + qualified + ".svc",
          "DNS:" + qualified + ".svc.cluster.local",
          "DNS:localhost",
          "IP:127.0.0.1",
          "IP:::1"};
}

Result<CertBundle> generateCertificates(const CertRequest& request) {
  if (auto r = checkRequest(request); !r) return Error{r.error()};

  auto caKey = generateKey(request.keyType);
  if (!caKey) return Error{caKey.error()};
  CertificateSpec caSpec{{{"CN", "sessiongate-ca"}, {"O", "sessiongate"}},
                         request.days,
                         {{"basicConstraints", "critical,CA:TRUE"},
                          {"keyUsage", "critical,keyCertSign,cRLSign"},
                          {"subjectKeyIdentifier", "hash"}}};
  auto ca = buildCertificate(caSpec, **caKey, nullptr, **caKey);
  if (!ca) return Error{"CA certificate: " + ca.error()};

  auto tlsKey = generateKey(request.keyType);
  if (!tlsKey) return Error{tlsKey.error()};
  CertificateSpec tlsSpec{
      {{"CN", request.service + "." + request.namespace_ + ".svc"}},
      request.days,
      {{"basicConstraints", "critical,CA:FALSE"},
       {"keyUsage", "critical,digitalSignature,keyEncipherment"},
       {"extendedKeyUsage", "serverAuth"},
       {"subjectAltName", joined(servingSubjectAltNames(request.service, request.namespace_))},
       {"subjectKeyIdentifier", "hash"},
       {"authorityKeyIdentifier", "keyid:always"}}};
  auto tls = buildCertificate(tlsSpec, **tlsKey, ca->get(), **caKey);
  if (!tls) return Error{"serving certificate: " + tls.error()};

  auto caPems = pemPair(**ca, **caKey);
  if (!caPems) return Error{caPems.error()};
  auto tlsPems = pemPair(**tls, **tlsKey);
  if (!tlsPems) return Error{tlsPems.error()};
  return CertBundle{caPems->first, caPems->second, tlsPems->first, tlsPems->second};
}

Result<ClientCertificate> generateClientCertificate(const ClientCertRequest& request,
                                                    const std::string& caCertPem,
                                                    const std::string& caKeyPem) {
  if (request.commonName.empty()) return Error{"a client certificate needs a common name"};
  if (auto r = checkDays(request.days); !r) return Error{r.error()};
  auto ca = certificateFromPem(caCertPem, "CA certificate");
  if (!ca) return Error{ca.error()};
  auto caKey = privateKeyFromPem(caKeyPem, "CA key");
  if (!caKey) return Error{caKey.error()};
  if (X509_check_private_key(ca->get(), caKey->get()) != 1) {
    ERR_clear_error();
    return Error{"the CA key does not belong to the CA certificate"};
  }

  auto key = generateKey(request.keyType);
  if (!key) return Error{key.error()};
  CertificateSpec spec{{{"CN", request.commonName}},
                       request.days,
                       {{"basicConstraints", "critical,CA:FALSE"},
                        {"keyUsage", "critical,digitalSignature,keyEncipherment"},
                        {"extendedKeyUsage", "clientAuth"},
                        {"subjectKeyIdentifier", "hash"},
                        {"authorityKeyIdentifier", "keyid:always"}}};
  if (!request.organization.empty()) spec.subject.emplace_back("O", request.organization);
  auto certificate = buildCertificate(spec, **key, ca->get(), **caKey);
  if (!certificate) return Error{"client certificate: " + certificate.error()};
  auto pems = pemPair(**certificate, **key);
  if (!pems) return Error{pems.error()};
  return ClientCertificate{pems->first, pems->second};
}

}  // namespace sessiongate::certs
