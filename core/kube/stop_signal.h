#pragma once
// StopSignal tells long-running calls (a watch's long poll, a backoff sleep) to end now. stop() runs the
// registered cancel callbacks, so a blocked read is interrupted rather than left to time out.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"

namespace sessiongate::kube {

// StopSignal is thread-safe; once stopped it stays stopped.
class StopSignal {
 public:
  void stop();
  bool stopped() const { return stopped_.load(); }
  // waitFor sleeps up to d on clock; returns false if it was woken by stop().
  bool waitFor(Clock::Duration d, const Clock& clock = realClock());

  // onStop registers a callback run by stop() (immediately if already stopped); returns an id for
  // removeOnStop, which the owner calls before the callback's captures go away.
  int onStop(std::function<void()> callback);
  void removeOnStop(int id);

 private:
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<int, std::function<void()>> callbacks_;
  int nextId_ = 0;
};

// StopAfter stops signal unless it is destroyed within timeout of clock's time: the bound on one step that
// may wait on something gone (the controller's drain and lease release after SIGTERM, whose calls signal
// cancels). what names the step in the warning logged when it fires.
class StopAfter {
 public:
  StopAfter(StopSignal& signal, Clock::Duration timeout, std::string what, const Clock& clock = realClock());
  ~StopAfter();
  StopAfter(const StopAfter&) = delete;
  StopAfter& operator=(const StopAfter&) = delete;

 private:
  StopSignal done_;
  std::thread thread_;
};

}  // namespace sessiongate::kube
