#include "webhook/server/change_detector.h"

#include <openssl/evp.h>

#include "core/file_text.h"

namespace sessiongate::webhook {
namespace {

// sha256Of reads the whole file (certificates and policies are a few KB) and hashes it; empty when it
// cannot be read.
std::string sha256Of(const std::filesystem::path& path) {
  auto text = fileText(path);
  if (!text) return {};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text->data(), text->size(), digest, &length, EVP_sha256(), nullptr) != 1) return {};
  return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace

ContentDigest digestFiles(const FileFingerprint& fingerprint) {
  ContentDigest digest;
  digest.reserve(fingerprint.stamps.size());
  for (const auto& stamp : fingerprint.stamps) {
    std::error_code ec;
    bool file = stamp.exists && !std::filesystem::is_directory(stamp.path, ec);
    digest.push_back(file ? sha256Of(stamp.path) : std::string());
  }
  return digest;
}

ChangeDetector::ChangeDetector(std::vector<std::filesystem::path> paths, unsigned rehashEvery)
    : paths_(std::move(paths)), rehashEvery_(rehashEvery == 0 ? 1 : rehashEvery) {}

void ChangeDetector::remember() {
  stamps_ = fingerprintFiles(paths_);
  digest_ = digestFiles(stamps_);
  checksSinceHash_ = 0;
}

bool ChangeDetector::changed() {
  auto stamps = fingerprintFiles(paths_);
  bool stampsMoved = !(stamps == stamps_);
  if (!stampsMoved && ++checksSinceHash_ < rehashEvery_) return false;
  checksSinceHash_ = 0;
  auto digest = digestFiles(stamps);
  bool differs = digest != digest_ || stamps.stamps.size() != stamps_.stamps.size();
  if (!differs) {
    for (std::size_t i = 0; i < stamps.stamps.size(); ++i) {
      if (stamps.stamps[i].path != stamps_.stamps[i].path ||
          stamps.stamps[i].exists != stamps_.stamps[i].exists)
        differs = true;
    }
  }
  stamps_ = std::move(stamps);
  digest_ = std::move(digest);
  return differs;
}

}  // namespace sessiongate::webhook
