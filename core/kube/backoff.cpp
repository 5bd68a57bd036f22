#include "core/kube/backoff.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace sessiongate::kube {

Backoff::Backoff(BackoffPolicy policy, std::function<double()> random)
    : policy_(policy), random_(std::move(random)) {
  if (!random_) {
    random_ = [engine = std::mt19937_64(std::random_device{}())]() mutable {
      return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
    };
  }
}

std::chrono::milliseconds Backoff::next() {
  double base = static_cast<double>(policy_.initial.count()) * std::pow(policy_.factor, attempt_);
  base = std::min(base, static_cast<double>(policy_.max.count()));
  ++attempt_;
  double delay = base * (1.0 - policy_.jitter * random_());
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(delay)));
}

}  // namespace sessiongate::kube
