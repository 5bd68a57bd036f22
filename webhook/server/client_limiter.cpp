#include "webhook/server/client_limiter.h"

namespace sessiongate::webhook {

bool ClientLimiter::tryAcquire(const std::string& address) {
  std::lock_guard lock(mu_);
  auto& count = open_[address];
  if (count >= maxPerAddress_) {
    if (count == 0) open_.erase(address);
    return false;
  }
  ++count;
  return true;
}

void ClientLimiter::release(const std::string& address) {
  std::lock_guard lock(mu_);
  auto it = open_.find(address);
  if (it == open_.end()) return;
  if (--it->second == 0) open_.erase(it);
}

std::size_t ClientLimiter::open(const std::string& address) const {
  std::lock_guard lock(mu_);
  auto it = open_.find(address);
  return it == open_.end() ? 0 : it->second;
}

}  // namespace sessiongate::webhook
