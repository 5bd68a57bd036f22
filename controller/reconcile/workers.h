#pragma once
// Workers take session names from the work queue and reconcile them: success forgets the name's backoff, an
// error requeues it with backoff, a requeue-after schedules the next look. Metrics record each outcome.
#include <thread>
#include <vector>

#include "controller/http/metrics.h"
#include "controller/queue/work_queue.h"
#include "controller/reconcile/session_reconciler.h"
#include "core/clock.h"

namespace sessiongate::controller {

// processNext handles one name from the queue; false once the queue is shut down and empty. clock times the
// reconcile for the duration histogram.
bool processNext(WorkQueue& queue, SessionReconciler& reconciler, ControllerMetrics& metrics, const Clock& clock);

// Workers runs count threads of processNext until the queue shuts down.
class Workers {
 public:
  Workers(WorkQueue& queue, SessionReconciler& reconciler, ControllerMetrics& metrics, const Clock& clock)
      : queue_(queue), reconciler_(reconciler), metrics_(metrics), clock_(clock) {}
  ~Workers() { join(); }
  void start(int count);
  // join waits for every worker to finish (after the queue was shut down).
  void join();

 private:
  WorkQueue& queue_;
  SessionReconciler& reconciler_;
  ControllerMetrics& metrics_;
  const Clock& clock_;
  std::vector<std::thread> threads_;
};

}  // namespace sessiongate::controller
