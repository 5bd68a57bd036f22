#pragma once
// WorkQueue is the controller's queue of object keys, after client-go's rate-limiting work queue: a key
// queued many times is processed once; a key re-added while a worker holds it is queued again once the
// worker calls done; failures retry with per-item backoff and an overall rate limit; time comes from an
// injected Clock.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "core/clock.h"
#include "controller/queue/rate_limiter.h"

namespace sessiongate {

// WorkQueue is safe to use from any number of threads. Typical worker loop:
//   while (auto key = queue.get()) {
//     if (reconcile(*key)) queue.forget(*key); else queue.addRateLimited(*key);
//     queue.done(*key);
//   }
class WorkQueue {
 public:
  // WorkQueue uses defaultControllerRateLimiter(clock) when limiter is null.
  explicit WorkQueue(const Clock& clock, std::unique_ptr<RateLimiter> limiter = nullptr);
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // add queues key unless it is already queued; ignored after shutDown.
  void add(const std::string& key);
  // addAfter queues key once delay has passed; a key already waiting keeps the earlier of the two times.
  void addAfter(const std::string& key, Clock::Duration delay);
  // addRateLimited queues key after the rate limiter's delay for it.
  void addRateLimited(const std::string& key);
  // forget resets key's backoff; call it when key was processed successfully.
  void forget(const std::string& key);
  // numRequeues is how many times key went through addRateLimited since it was last forgotten.
  int numRequeues(const std::string& key) const;

  // get blocks until a key is ready and hands it to the caller, who must call done(key); it returns
  // nullopt once the queue is shut down and no ready key is left. Keys still waiting for their delay are
  // dropped at shutdown.
  std::optional<std::string> get();
  // done marks key processed; if it was added again meanwhile, it is queued now.
  void done(const std::string& key);

  // shutDown stops accepting keys and wakes every blocked get.
  void shutDown();
  // shutDownWithDrain is shutDown, then waits until workers have taken every ready key and called done for
  // each; it blocks forever if no worker is running.
  void shutDownWithDrain();
  // shuttingDown is true once shutDown or shutDownWithDrain was called.
  bool shuttingDown() const;

  // len is the number of keys ready to be handed out (not those waiting for a delay or being processed);
  // keys whose delay has passed are ready.
  std::size_t len();
  // waitingLen is the number of keys still waiting for their delay.
  std::size_t waitingLen();

 private:
  void addLocked(const std::string& key);
  // promoteReadyLocked moves keys whose delay has passed into the ready queue.
  void promoteReadyLocked();

  const Clock& clock_;
  std::unique_ptr<RateLimiter> limiter_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;     // ready keys in order
  std::set<std::string> dirty_;       // keys that need processing (queued or re-added while processing)
  std::set<std::string> processing_;  // keys handed out by get and not yet done
  // Delayed keys: ready time per key, and (ready time, sequence, key) for the earliest one.
  std::map<std::string, std::pair<Clock::TimePoint, std::uint64_t>> waitingByKey_;
  std::set<std::tuple<Clock::TimePoint, std::uint64_t, std::string>> waitingByTime_;
  std::uint64_t sequence_ = 0;
  bool shuttingDown_ = false;
};

}  // namespace sessiongate
