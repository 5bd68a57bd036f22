#pragma once
// The certificates the webhook needs: a CA, a serving certificate for the webhook Service (names in
// subjectAltName only; clients must not rely on the CN), and client certificates for mTLS tests. All
// results are PEM text in memory; bundle_writer.h puts a bundle on disk.
#include <string>
#include <vector>

#include "certs/certificate_builder.h"
#include "core/result.h"

namespace sessiongate::certs {

// CertRequest describes the webhook Service the serving certificate is for.
struct CertRequest {
  std::string service;     // Service name, an RFC 1123 DNS label
  std::string namespace_;  // its namespace, an RFC 1123 DNS label
  int days = 365;          // validity of both certificates, 1..36500
  KeyType keyType = KeyType::EcP256;
};

// CertBundle is a CA and a serving certificate signed by it, as PEM text.
struct CertBundle {
  std::string caCertPem;
  std::string caKeyPem;
  std::string tlsCertPem;
  std::string tlsKeyPem;
};

// ClientCertRequest describes a client certificate for mutual TLS.
struct ClientCertRequest {
  std::string commonName;    // e.g. kube-apiserver
  std::string organization;  // e.g. system:masters; omitted when empty
  int days = 365;
  KeyType keyType = KeyType::EcP256;
};

// ClientCertificate is a client certificate and its key, as PEM text.
struct ClientCertificate {
  std::string certPem;
  std::string keyPem;
};

// servingSubjectAltNames lists the SANs of the serving certificate in order, in OpenSSL's syntax:
// DNS:NAME, DNS:NAME.NS, DNS:NAME.NS.svc, DNS:NAME.NS.svc.cluster.local, DNS:localhost, IP:127.0.0.1, IP:::1.
std::vector<std::string> servingSubjectAltNames(const std::string& service, const std::string& namespace_);

// generateCertificates validates the request and issues a fresh CA and serving certificate.
Result<CertBundle> generateCertificates(const CertRequest& request);

// generateClientCertificate issues a clientAuth certificate signed by the CA given as PEM text.
Result<ClientCertificate> generateClientCertificate(const ClientCertRequest& request,
                                                    const std::string& caCertPem,
                                                    const std::string& caKeyPem);

}  // namespace sessiongate::certs
