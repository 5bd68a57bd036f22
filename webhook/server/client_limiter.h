#pragma once
// ClientLimiter caps the connections open at once from one client address, so that one abusive or broken
// client cannot take every worker. Checked when a connection is taken up, before its TLS handshake.
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace sessiongate::webhook {

// ClientLimiter counts open connections per address; thread-safe.
class ClientLimiter {
 public:
  explicit ClientLimiter(std::size_t maxPerAddress) : maxPerAddress_(maxPerAddress) {}

  // tryAcquire counts one more connection from address; false (and nothing counted) at the cap.
  bool tryAcquire(const std::string& address);
  void release(const std::string& address);
  std::size_t open(const std::string& address) const;

 private:
  const std::size_t maxPerAddress_;
  mutable std::mutex mu_;
  std::map<std::string, std::size_t> open_;
};

}  // namespace sessiongate::webhook
