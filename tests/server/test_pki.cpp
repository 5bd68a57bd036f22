#include "test_pki.h"

#include <unistd.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "certs/certificate_builder.h"
#include "certs/pem.h"

namespace sessiongate::webhook::testing {
namespace {

// MadeDirs are the folders freshTempDir made; they go when the test binary exits (a crash leaves them, named
// after its pid). They hold the tests' CA and serving keys.
class MadeDirs {
 public:
  ~MadeDirs() {
    for (const std::filesystem::path& dir : dirs_) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  }
  void add(const std::filesystem::path& dir) {
    std::lock_guard<std::mutex> lock(mu_);
    dirs_.push_back(dir);
  }

 private:
  std::mutex mu_;
  std::vector<std::filesystem::path> dirs_;
};

MadeDirs& madeDirs() {
  static MadeDirs dirs;
  return dirs;
}

template <typename T>
T orThrow(Result<T> result) {
  if (!result) throw std::runtime_error(result.error());
  return std::move(*result);
}

std::string serialHex(X509& cert) {
  certs::BignumPtr bn(ASN1_INTEGER_to_BN(X509_get_serialNumber(&cert), nullptr));
  char* hex = BN_bn2hex(bn.get());
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

}  // namespace

TestPki::TestPki(std::filesystem::path dir) : dir_(std::move(dir)), caFile_(dir_ / "ca.crt") {
  caKey_ = orThrow(certs::generateKey(certs::KeyType::EcP256));
  certs::CertificateSpec spec{{{"CN", "sessiongate-test-ca"}},
                              1,
                              {{"basicConstraints", "critical,CA:TRUE"},
                               {"keyUsage", "critical,keyCertSign,cRLSign"},
                               {"subjectKeyIdentifier", "hash"}}};
  caCert_ = orThrow(certs::buildCertificate(spec, *caKey_, nullptr, *caKey_));
  writeFileAtomically(caFile_, orThrow(certs::certificateToPem(*caCert_)));
}

IssuedCert TestPki::issueServing(const std::filesystem::path& certFile, const std::filesystem::path& keyFile,
                                 const std::string& commonName) {
  return issue(certFile, keyFile, commonName, true);
}

IssuedCert TestPki::issueClient(const std::filesystem::path& certFile, const std::filesystem::path& keyFile,
                                const std::string& commonName) {
  return issue(certFile, keyFile, commonName, false);
}

IssuedCert TestPki::issue(const std::filesystem::path& certFile, const std::filesystem::path& keyFile,
                          const std::string& commonName, bool serving) {
  auto key = orThrow(certs::generateKey(certs::KeyType::EcP256));
  certs::CertificateSpec spec{{{"CN", commonName}},
                              1,
                              {{"basicConstraints", "critical,CA:FALSE"},
                               {"keyUsage", "critical,digitalSignature,keyEncipherment"},
                               {"extendedKeyUsage", serving ? "serverAuth" : "clientAuth"},
                               {"subjectKeyIdentifier", "hash"},
                               {"authorityKeyIdentifier", "keyid:always"}}};
  if (serving) spec.extensions.emplace_back("subjectAltName", "IP:127.0.0.1,DNS:localhost");
  auto cert = orThrow(certs::buildCertificate(spec, *key, caCert_.get(), *caKey_));
  writeFileAtomically(keyFile, orThrow(certs::privateKeyToPem(*key)));
  writeFileAtomically(certFile, orThrow(certs::certificateToPem(*cert)));
  return IssuedCert{certFile, keyFile, commonName, serialHex(*cert)};
}

void writeFileAtomically(const std::filesystem::path& path, const std::string& text) {
  auto temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, path);
}

std::filesystem::path freshTempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("sessiongate-server-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  madeDirs().add(dir);
  return dir;
}

}  // namespace sessiongate::webhook::testing
