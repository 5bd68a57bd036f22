#pragma once
// Backoff yields exponentially growing, jittered, capped delays between retries of a failing call; reset()
// starts over after the call has been healthy again.
#include <chrono>
#include <functional>

namespace sessiongate::kube {

// BackoffPolicy shapes the delays: initial * factor^n capped at max, then reduced by up to jitter (a
// fraction) at random, so that many clients failing together do not retry together.
struct BackoffPolicy {
  std::chrono::milliseconds initial{800};
  std::chrono::milliseconds max{30000};
  double factor = 2.0;
  double jitter = 0.5;
};

// Backoff is not thread-safe; each retry loop owns one. random yields uniform values in [0, 1).
class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy = {}, std::function<double()> random = {});
  std::chrono::milliseconds next();
  void reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }

 private:
  BackoffPolicy policy_;
  std::function<double()> random_;
  int attempt_ = 0;
};

}  // namespace sessiongate::kube
