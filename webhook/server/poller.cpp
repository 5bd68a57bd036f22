#include "webhook/server/poller.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace sessiongate::webhook {

Poller::Poller(std::chrono::milliseconds interval, std::function<void()> check)
    : interval_(interval), check_(std::move(check)) {}

Poller::~Poller() {
  stop();
}

void Poller::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      try {
        check_();
      } catch (const std::exception& e) {
        spdlog::error("file watch check failed: {}", e.what());
      }
      lock.lock();
    }
  });
}

void Poller::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sessiongate::webhook
