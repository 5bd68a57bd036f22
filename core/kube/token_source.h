#pragma once
// TokenSource yields the bearer token of every request: a fixed one, or one read from a file and re-read when
// the file changes and at least every minute, because bound service-account tokens rotate under a running
// pod.
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace sessiongate::kube {

// TokenSource is thread-safe; an empty source (no token, no file) yields "" and requests go unauthenticated.
class TokenSource {
 public:
  TokenSource(std::string fixedToken, std::string tokenFile, const Clock& clock = realClock());

  // token returns the current token; a file that cannot be re-read keeps the last good token.
  Result<std::string> token();

  // kRefreshInterval bounds how long a token read from a file is used without looking at the file again.
  static constexpr std::chrono::seconds kRefreshInterval{60};

 private:
  std::mutex mu_;
  std::string token_;
  std::string file_;
  const Clock& clock_;
  Clock::TimePoint readAt_{};
  std::filesystem::file_time_type mtime_{};
  bool loaded_ = false;
};

}  // namespace sessiongate::kube
