#pragma once
// TestPki issues the certificates the server tests need, with certs/'s OpenSSL builder: one CA and any
// number of serving and client certificates signed by it, written as PEM files.
#include <filesystem>
#include <string>

#include "certs/openssl_handles.h"

namespace sessiongate::webhook::testing {

// IssuedCert is where a certificate and its key were written and what identifies the certificate.
struct IssuedCert {
  std::filesystem::path certFile;
  std::filesystem::path keyFile;
  std::string commonName;
  std::string serialHex;
};

// TestPki is a CA in a folder.
class TestPki {
 public:
  // TestPki creates a fresh CA and writes it to dir/ca.crt.
  explicit TestPki(std::filesystem::path dir);

  const std::filesystem::path& caFile() const { return caFile_; }
  const std::filesystem::path& dir() const { return dir_; }

  // issueServing writes a serving certificate for 127.0.0.1 and localhost, and its key, to the files.
  IssuedCert issueServing(const std::filesystem::path& certFile, const std::filesystem::path& keyFile,
                          const std::string& commonName);
  // issueClient writes a clientAuth certificate and its key to the files.
  IssuedCert issueClient(const std::filesystem::path& certFile, const std::filesystem::path& keyFile,
                         const std::string& commonName);

 private:
  IssuedCert issue(const std::filesystem::path& certFile, const std::filesystem::path& keyFile,
                   const std::string& commonName, bool serving);

  std::filesystem::path dir_;
  std::filesystem::path caFile_;
  certs::PkeyPtr caKey_;
  certs::X509Ptr caCert_;
};

// writeFileAtomically writes text to a temporary file beside path and renames it over path.
void writeFileAtomically(const std::filesystem::path& path, const std::string& text);

// freshTempDir makes an empty folder under the system temporary folder, named after the test; it is removed
// when the test binary exits.
std::filesystem::path freshTempDir(const std::string& name);

}  // namespace sessiongate::webhook::testing
