#include "core/kube/token_source.h"

#include <system_error>

#include "core/file_text.h"

namespace sessiongate::kube {

TokenSource::TokenSource(std::string fixedToken, std::string tokenFile, const Clock& clock)
    : token_(std::move(fixedToken)), file_(std::move(tokenFile)), clock_(clock) {}

Result<std::string> TokenSource::token() {
  std::lock_guard<std::mutex> lock(mu_);
  if (file_.empty()) return token_;
  auto now = clock_.now();
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(file_, ec);
  bool changed = !ec && mtime != mtime_;
  if (loaded_ && !changed && now - readAt_ < kRefreshInterval) return token_;

  auto text = fileText(file_);
  std::string fresh = text ? trimmedLine(std::move(*text)) : std::string();
  if (fresh.empty()) {
    if (loaded_) return token_;  // keep using the last good token until the file is back
    return Error{"bearer token file " + file_ + " cannot be read or is empty"};
  }
  token_ = std::move(fresh);
  readAt_ = now;
  mtime_ = ec ? std::filesystem::file_time_type{} : mtime;
  loaded_ = true;
  return token_;
}

}  // namespace sessiongate::kube
