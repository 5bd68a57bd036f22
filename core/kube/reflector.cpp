#include "core/kube/reflector.h"

#include <spdlog/spdlog.h>

#include <optional>

namespace sessiongate::kube {

Reflector::Reflector(const KubeClient& client, ResourceRef ref, ReflectorOptions options,
                     ReflectorHandlers handlers)
    : client_(client.cancelledBy(stop_)),
      ref_(std::move(ref)),
      options_(std::move(options)),
      handlers_(std::move(handlers)) {}

std::string Reflector::resourceVersion() const {
  std::lock_guard<std::mutex> lock(mu_);
  return resourceVersion_;
}

void Reflector::setResourceVersion(const Json& object) {
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return;
  std::string rv = meta->value("resourceVersion", "");
  if (rv.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  resourceVersion_ = std::move(rv);
}

std::string Reflector::describe() const {
  return ref_.qualifiedName() + (options_.ns.empty() ? std::string() : " in namespace " + options_.ns);
}

void Reflector::pause(std::chrono::milliseconds d) {
  stop_.waitFor(d, *options_.clock);
}

bool Reflector::relist() {
  ListOptions list;
  list.labelSelector = options_.labelSelector;
  list.fieldSelector = options_.fieldSelector;
  list.limit = options_.pageSize;
  auto listed = client_.listAll(ref_, options_.ns, list, options_.trimListed);
  if (!listed) {
    if (stop_.stopped()) return false;
    spdlog::warn("list {} failed: {}", describe(), listed.error().describe());
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    resourceVersion_ = listed->resourceVersion;
  }
  spdlog::debug("listed {}: {} objects at resourceVersion {}", describe(), listed->items.size(),
                listed->resourceVersion);
  if (handlers_.onReplace) handlers_.onReplace(std::move(listed->items));
  if (!synced_.exchange(true) && handlers_.onSynced) handlers_.onSynced();
  return true;
}

Reflector::WatchOutcome Reflector::watchOnce(bool& sawEvents) {
  WatchOptions watch;
  watch.labelSelector = options_.labelSelector;
  watch.fieldSelector = options_.fieldSelector;
  watch.resourceVersion = resourceVersion();
  watch.allowWatchBookmarks = true;
  watch.timeoutSeconds = options_.watchTimeoutSeconds;
  std::optional<ApiError> streamError;
  auto onEvent = [&](const WatchEvent& event) {
    sawEvents = true;
    switch (event.type) {
      case WatchEventType::Added:
        setResourceVersion(event.object);
        if (handlers_.onAdd) handlers_.onAdd(event.object);
        break;
      case WatchEventType::Modified:
        setResourceVersion(event.object);
        if (handlers_.onUpdate) handlers_.onUpdate(event.object);
        break;
      case WatchEventType::Deleted:
        setResourceVersion(event.object);
        if (handlers_.onDelete) handlers_.onDelete(event.object);
        break;
      case WatchEventType::Bookmark:
        setResourceVersion(event.object);
        break;
      case WatchEventType::Error:
        streamError = apiErrorFromStatus(event.object);
        return false;
    }
    return true;
  };
  auto ended = client_.watch(ref_, options_.ns, watch, onEvent, stop_);
  if (stop_.stopped()) return WatchOutcome::Stopped;
  const ApiError* error = streamError ? &*streamError : (!ended ? &ended.error() : nullptr);
  if (error == nullptr) return WatchOutcome::Closed;
  if (error->gone()) {
    spdlog::info("watch {} from resourceVersion {}: {}; relisting", describe(), watch.resourceVersion,
                 error->message);
    return WatchOutcome::Gone;
  }
  spdlog::warn("watch {} from resourceVersion {} failed: {}", describe(), watch.resourceVersion,
               error->describe());
  return WatchOutcome::Failed;
}

void Reflector::run() {
  Backoff backoff(options_.backoff, options_.random);
  bool needList = true;
  int goneInARow = 0;
  while (!stop_.stopped()) {
    if (needList) {
      if (!relist()) {
        pause(backoff.next());
        continue;
      }
      needList = false;
    }
    auto started = options_.clock->now();
    bool sawEvents = false;
    WatchOutcome outcome = watchOnce(sawEvents);
    bool healthy = options_.clock->now() - started >= options_.healthyWatch;
    if (healthy) backoff.reset();
    switch (outcome) {
      case WatchOutcome::Stopped:
        return;
      case WatchOutcome::Gone:
        needList = true;
        // A version that is already too old right after a list means the server is compacting fast; do
        // not spin.
        if (++goneInARow > 1) pause(backoff.next());
        continue;
      case WatchOutcome::Closed:
        goneInARow = 0;
        // The server ends watches on timeoutSeconds; resume at once unless it closed an empty watch early.
        if (!healthy && !sawEvents) pause(backoff.next());
        continue;
      case WatchOutcome::Failed:
        goneInARow = 0;
        pause(backoff.next());
        continue;
    }
  }
}

}  // namespace sessiongate::kube
