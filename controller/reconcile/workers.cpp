#include "controller/reconcile/workers.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>

namespace sessiongate::controller {

bool processNext(WorkQueue& queue, SessionReconciler& reconciler, ControllerMetrics& metrics, const Clock& clock) {
  auto name = queue.get();
  if (!name) return false;
  const Clock::TimePoint started = clock.now();
  ReconcileResult result;
  try {
    result = reconciler.reconcile(*name);
  } catch (const std::exception& e) {
    result.error = std::string("unexpected: ") + e.what();
  }
  double seconds = std::chrono::duration<double>(clock.now() - started).count();
  if (result.error) {
    spdlog::warn("reconcile usersession {} failed (retry {}): {}", *name, queue.numRequeues(*name) + 1,
                 *result.error);
    metrics.recordReconcile("error", seconds);
    queue.addRateLimited(*name);
  } else {
    queue.forget(*name);
    if (result.requeueAfter) {
      metrics.recordReconcile("requeue", seconds);
      queue.addAfter(*name, *result.requeueAfter);
    } else {
      metrics.recordReconcile("success", seconds);
    }
  }
  queue.done(*name);
  return true;
}

void Workers::start(int count) {
  for (int i = 0; i < count; ++i) {
    threads_.emplace_back([this] {
      while (processNext(queue_, reconciler_, metrics_, clock_)) {
      }
    });
  }
}

void Workers::join() {
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

}  // namespace sessiongate::controller
