#include "core/kube/tls_material.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

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

// AnonymousFile is a file with no name on disk, readable through /proc/self/fd while its descriptor is open.
struct AnonymousFile {
  int fd;
  std::string path;
};

// writeAnonymousFile writes bytes to a new mode-0600 file in the temp directory, unlinks it and returns the
// descriptor and its /proc/self/fd path.
Result<AnonymousFile> writeAnonymousFile(const std::string& bytes) {
  std::string pattern = (std::filesystem::temp_directory_path() / "sessiongate-ca-XXXXXX").string();
  int fd = ::mkostemp(pattern.data(), O_CLOEXEC);  // creates the file with mode 0600
  if (fd < 0) return Error{"cannot create a temporary file for the CA certificate in " + pattern};
  ::unlink(pattern.c_str());
  std::size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  if (written != bytes.size()) {
    ::close(fd);
    return Error{"cannot write the CA certificate to a temporary file in " +
                 std::filesystem::temp_directory_path().string()};
  }
  return AnonymousFile{fd, "/proc/self/fd/" + std::to_string(fd)};
}

}  // namespace

Result<std::shared_ptr<TlsMaterial>> TlsMaterial::load(const ClientConfig& config) {
  std::shared_ptr<TlsMaterial> m(new TlsMaterial());
  const std::string& where = config.origin;
  m->verify_ = !config.insecureSkipTlsVerify;

  if (!config.caData.empty() || !config.caFile.empty()) {
    auto ca = pemBytes(config.caData, config.caFile, "certificate-authority");
    if (!ca) return Error{where + ": " + ca.error()};
    auto bio = memoryBio(*ca);
    X509* first = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (!first) return Error{where + ": certificate-authority is not a PEM certificate: " + opensslError()};
    X509_free(first);
    if (!config.caData.empty()) {
      auto file = writeAnonymousFile(*ca);
      if (!file) return Error{where + ": " + file.error()};
      m->caDataFd_ = file->fd;
      m->caFile_ = file->path;
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

TlsMaterial::~TlsMaterial() {
  if (cert_) X509_free(cert_);
  if (key_) EVP_PKEY_free(key_);
  if (caDataFd_ >= 0) ::close(caDataFd_);
}

}  // namespace sessiongate::kube
