#pragma once
// Reflector keeps a local copy of one resource in step with the API server: it lists (paged), then watches
// from the list's resourceVersion with bookmarks, tracks the latest version seen, relists on 410 Gone and
// reconnects with capped, jittered exponential backoff. Every cache is fed by its callbacks through an
// Informer (informer.h).
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/kube/backoff.h"
#include "core/kube/kube_client.h"
#include "core/kube/stop_signal.h"
#include "core/kube/token_source.h"

namespace sessiongate::kube {

// ReflectorHandlers receive the state; onReplace gets the full set after every (re)list so that a cache can
// drop objects deleted while the watch was down. Handlers run on the reflector's thread.
struct ReflectorHandlers {
  std::function<void(std::vector<Json> items)> onReplace;
  std::function<void(const Json& object)> onAdd;
  std::function<void(const Json& object)> onUpdate;
  std::function<void(const Json& object)> onDelete;
  std::function<void()> onSynced;  // once, after the first list has been delivered
};

// ReflectorOptions selects what to mirror and how to retry; clock and random are seams for tests.
struct ReflectorOptions {
  std::string ns;  // empty: all namespaces (or a cluster-scoped resource)
  std::string labelSelector;
  std::string fieldSelector;
  std::int64_t pageSize = 500;
  int watchTimeoutSeconds = 300;
  BackoffPolicy backoff;
  std::chrono::seconds healthyWatch{60};                 // a watch open this long resets the backoff
  const Clock* clock = &realClock();  // measures watches and times the backoff waits (cut short by stop())
  std::function<double()> random;                        // jitter source, default: a random engine
  // trimListed is applied to each listed item as its page arrives (see KubeClient::listAll): a cache that
  // trims its objects anyway passes its trim, so that a relist never holds every object in full at once.
  std::function<void(Json& object)> trimListed;
};

// Reflector runs on one thread (run) and is stopped from any other (stop).
class Reflector {
 public:
  Reflector(const KubeClient& client, ResourceRef ref, ReflectorOptions options, ReflectorHandlers handlers);

  // run lists and watches until stop() is called.
  void run();
  // stop ends run() promptly, interrupting a list or a watch in flight (connecting or waiting for the answer)
  // or a backoff sleep.
  void stop() { stop_.stop(); }
  // hasSynced is true once the first list has been delivered.
  bool hasSynced() const { return synced_.load(); }
  // resourceVersion is the latest version seen (list, event or bookmark): where a new watch resumes.
  std::string resourceVersion() const;

 private:
  // WatchOutcome is how one watch call ended.
  enum class WatchOutcome { Closed, Gone, Failed, Stopped };

  bool relist();
  WatchOutcome watchOnce(bool& sawEvents);
  void setResourceVersion(const Json& object);
  void pause(std::chrono::milliseconds d);
  std::string describe() const;

  StopSignal stop_;
  KubeClient client_;  // the owner's client, cancelled by stop_: a list in flight ends when stop() is called
  ResourceRef ref_;
  ReflectorOptions options_;
  ReflectorHandlers handlers_;
  std::atomic<bool> synced_{false};
  mutable std::mutex mu_;
  std::string resourceVersion_;
};

}  // namespace sessiongate::kube
