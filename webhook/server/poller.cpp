#include "webhook/server/poller.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace sessiongate::webhook {

Poller::Poller(std::chrono::milliseconds interval, std::function<void()> check, const Clock& clock)
    : interval_(interval), check_(std::move(check)), clock_(clock) {}

Poller::~Poller() {
  stop();
}

void Poller::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    for (;;) {
      const Clock::TimePoint due = clock_.now() + interval_;
      while (!stopping_ && clock_.now() < due) clock_.waitUntil(wake_, lock, due);
      if (stopping_) return;
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
