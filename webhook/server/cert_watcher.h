#pragma once
// CertWatcher keeps the serving certificate and key in memory and reloads them when their files change
// (like controller-runtime's certwatcher). The TLS layer asks current() once per handshake, so a reload
// never tears a handshake in progress: that one keeps the pair it started with. A half-written or
// mismatched pair is logged, counted as a failure and ignored; the previous pair stays in use.
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "core/clock.h"
#include "core/result.h"
#include "webhook/server/change_detector.h"
#include "webhook/server/poller.h"

namespace sessiongate::webhook {

// CertifiedKey is one loaded serving identity: the leaf certificate, its chain and the private key.
struct CertifiedKey {
  CertifiedKey() = default;
  ~CertifiedKey();
  CertifiedKey(const CertifiedKey&) = delete;
  CertifiedKey& operator=(const CertifiedKey&) = delete;

  X509* leaf = nullptr;
  STACK_OF(X509) * chain = nullptr;  // intermediates after the leaf in the certificate file; may be empty
  EVP_PKEY* key = nullptr;
};

// loadCertifiedKey reads a PEM certificate file (leaf first, then its chain) and a PEM private key file and
// checks that the key belongs to the certificate.
Result<std::shared_ptr<const CertifiedKey>> loadCertifiedKey(const std::filesystem::path& certFile,
                                                             const std::filesystem::path& keyFile);

// CertWatcher serves the latest valid pair of certFile and keyFile.
class CertWatcher {
 public:
  // ReloadObserver learns of every reload attempt after the first load: true when the new pair is in use.
  using ReloadObserver = std::function<void(bool ok)>;

  // create loads the pair once; an error here means the server cannot start. clock times the polling (the
  // server's, ServerOptions::clock); it outlives the watcher.
  static Result<std::unique_ptr<CertWatcher>> create(std::filesystem::path certFile,
                                                     std::filesystem::path keyFile,
                                                     ReloadObserver observer = {},
                                                     const Clock& clock = realClock());

  // current is the pair to present on a new handshake.
  std::shared_ptr<const CertifiedKey> current() const { return current_.load(std::memory_order_acquire); }

  // checkNow reloads the pair if the files' bytes changed since the last attempt; true when a new pair is
  // in use.
  bool checkNow();

  // start polls the files every interval on a background thread; stop (or destruction) ends it.
  void start(std::chrono::milliseconds interval = std::chrono::seconds(1));
  void stop();

 private:
  CertWatcher(std::filesystem::path certFile, std::filesystem::path keyFile, ReloadObserver observer,
              const Clock& clock);

  const std::filesystem::path certFile_;
  const std::filesystem::path keyFile_;
  const ReloadObserver observer_;
  const Clock& clock_;
  std::atomic<std::shared_ptr<const CertifiedKey>> current_;
  ChangeDetector files_;  // the files at the last load attempt, successful or not; touched by one thread
  std::unique_ptr<Poller> poller_;
};

}  // namespace sessiongate::webhook
