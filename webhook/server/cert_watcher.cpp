#include "webhook/server/cert_watcher.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <spdlog/spdlog.h>

#include "core/file_text.h"
#include "webhook/server/openssl_error.h"

namespace sessiongate::webhook {
namespace {

Result<std::string> readFile(const std::filesystem::path& path) {
  auto text = fileText(path);
  if (!text) return Error{"cannot read " + path.string() + ": check that the file exists and is readable"};
  return *text;
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

std::unique_ptr<BIO, BioDeleter> memoryBio(const std::string& text) {
  return std::unique_ptr<BIO, BioDeleter>(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string subjectOf(X509* cert) {
  char buffer[256];
  X509_NAME_oneline(X509_get_subject_name(cert), buffer, sizeof(buffer));
  return buffer;
}

}  // namespace

CertifiedKey::~CertifiedKey() {
  X509_free(leaf);
  sk_X509_pop_free(chain, X509_free);
  EVP_PKEY_free(key);
}

Result<std::shared_ptr<const CertifiedKey>> loadCertifiedKey(const std::filesystem::path& certFile,
                                                             const std::filesystem::path& keyFile) {
  auto certText = readFile(certFile);
  if (!certText) return Error{certText.error()};
  auto keyText = readFile(keyFile);
  if (!keyText) return Error{keyText.error()};

  ERR_clear_error();
  auto loaded = std::make_shared<CertifiedKey>();
  auto certBio = memoryBio(*certText);
  loaded->leaf = PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr);
  if (loaded->leaf == nullptr) {
    return Error{certFile.string() + ": no PEM certificate (" + opensslReason() +
                 "); expected a \"-----BEGIN CERTIFICATE-----\" block"};
  }
  loaded->chain = sk_X509_new_null();
  while (X509* next = PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr))
    sk_X509_push(loaded->chain, next);
  ERR_clear_error();  // the loop ends on "no start line", which is not an error

  auto keyBio = memoryBio(*keyText);
  loaded->key = PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr);
  if (loaded->key == nullptr) {
    return Error{keyFile.string() + ": no unencrypted PEM private key (" + opensslReason() + ")"};
  }
  if (X509_check_private_key(loaded->leaf, loaded->key) != 1) {
    ERR_clear_error();
    return Error{"the key in " + keyFile.string() + " does not belong to the certificate in " +
                 certFile.string() + " (" + subjectOf(loaded->leaf) + "); write both files of the same pair"};
  }
  return std::shared_ptr<const CertifiedKey>(std::move(loaded));
}

CertWatcher::CertWatcher(std::filesystem::path certFile, std::filesystem::path keyFile,
                         ReloadObserver observer, const Clock& clock)
    : certFile_(std::move(certFile)),
      keyFile_(std::move(keyFile)),
      observer_(std::move(observer)),
      clock_(clock),
      files_({certFile_, keyFile_}) {}

Result<std::unique_ptr<CertWatcher>> CertWatcher::create(std::filesystem::path certFile,
                                                         std::filesystem::path keyFile,
                                                         ReloadObserver observer, const Clock& clock) {
  std::unique_ptr<CertWatcher> watcher(
      new CertWatcher(std::move(certFile), std::move(keyFile), std::move(observer), clock));
  watcher->files_.remember();
  auto loaded = loadCertifiedKey(watcher->certFile_, watcher->keyFile_);
  if (!loaded) return Error{"cannot load the TLS certificate: " + loaded.error()};
  spdlog::info("serving certificate loaded: subject {}", subjectOf((*loaded)->leaf));
  watcher->current_.store(std::move(*loaded), std::memory_order_release);
  return watcher;
}

bool CertWatcher::checkNow() {
  if (!files_.changed()) return false;  // a failed pair is not retried until the files change again
  auto loaded = loadCertifiedKey(certFile_, keyFile_);
  if (!loaded) {
    spdlog::error("certificate reload failed, still serving the previous certificate: {}", loaded.error());
    if (observer_) observer_(false);
    return false;
  }
  spdlog::info("serving certificate reloaded: subject {}", subjectOf((*loaded)->leaf));
  current_.store(std::move(*loaded), std::memory_order_release);
  if (observer_) observer_(true);
  return true;
}

void CertWatcher::start(std::chrono::milliseconds interval) {
  if (poller_) return;
  poller_ = std::make_unique<Poller>(
      interval, [this] { checkNow(); }, clock_);
  poller_->start();
}

void CertWatcher::stop() {
  if (poller_) poller_->stop();
}

}  // namespace sessiongate::webhook
