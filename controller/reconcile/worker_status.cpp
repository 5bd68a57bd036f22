#include "controller/reconcile/worker_status.h"

#include <array>
#include <string_view>

#include "core/object_meta.h"

namespace sessiongate::controller {

namespace {

// The kubelet's waiting reasons that mean the image cannot be had.
constexpr std::array<std::string_view, 5> kImagePullReasons = {
    "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable"};
// The kubelet's waiting reasons that mean the runtime cannot create or start the container.
constexpr std::array<std::string_view, 5> kCreateReasons = {"CreateContainerConfigError",
                                                            "CreateContainerError", "RunContainerError",
                                                            "PreStartHookError", "PostStartHookError"};

template <std::size_t N>
bool oneOf(const std::array<std::string_view, N>& set, std::string_view value) {
  for (std::string_view item : set) {
    if (item == value) return true;
  }
  return false;
}

const Json& field(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string text(const Json& object, const char* key) {
  const Json& value = field(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

// withDetail appends ": detail" when there is one.
std::string withDetail(std::string head, const std::string& detail) {
  if (!detail.empty()) head += ": " + detail;
  return head;
}

// podCondition is the status of condition type of the pod ("" when absent) and its message.
const Json* podCondition(const Json& status, std::string_view type) {
  const Json& conditions = field(status, "conditions");
  if (!conditions.is_array()) return nullptr;
  for (const Json& condition : conditions) {
    if (text(condition, "type") == type) return &condition;
  }
  return nullptr;
}

WorkerAssessment failure(const char* reason, std::string message) {
  return {{condition::kWorkerReady, false, reason, std::move(message)}, true};
}

// containerFailure looks at one container status (init containers first) for a state the user must fix.
std::optional<WorkerAssessment> containerFailure(const Json& container, const std::string& pod) {
  const std::string name = text(container, "name");
  const Json& waiting = field(field(container, "state"), "waiting");
  if (!waiting.is_object()) return std::nullopt;
  const std::string why = text(waiting, "reason");
  const std::string detail = text(waiting, "message");
  if (oneOf(kImagePullReasons, why)) {
    return failure(worker_reason::kImagePullFailed,
                   withDetail("worker pod " + pod + ": container " + name + " cannot get its image " +
                                  text(container, "image") + " (" + why + ")",
                              detail));
  }
  if (why == "CrashLoopBackOff") {
    const Json& restarts = field(container, "restartCount");
    const long long count = restarts.is_number_integer() ? restarts.get<long long>() : 0;
    std::string message = "worker pod " + pod + ": container " + name + " keeps crashing (restarted " +
                          std::to_string(count) + (count == 1 ? " time" : " times");
    const Json& last = field(field(container, "lastState"), "terminated");
    if (last.is_object()) {
      const Json& code = field(last, "exitCode");
      if (code.is_number_integer()) message += ", last exit code " + std::to_string(code.get<long long>());
      if (!text(last, "reason").empty()) message += " (" + text(last, "reason") + ")";
    }
    message += "); see kubectl logs -n " + pod.substr(0, pod.find('/')) + " " +
               pod.substr(pod.find('/') + 1) + " -c " + name + " --previous";
    return failure(worker_reason::kCrashLoopBackOff, message);
  }
  if (oneOf(kCreateReasons, why)) {
    return failure(
        worker_reason::kContainerCreateFailed,
        withDetail("worker pod " + pod + ": container " + name + " cannot start (" + why + ")", detail));
  }
  return std::nullopt;
}

// waitingSummary lists the containers still waiting and why ("worker: ContainerCreating").
std::string waitingSummary(const Json& status) {
  std::string out;
  for (const char* list : {"initContainerStatuses", "containerStatuses"}) {
    const Json& containers = field(status, list);
    if (!containers.is_array()) continue;
    for (const Json& container : containers) {
      const Json& waiting = field(field(container, "state"), "waiting");
      if (!waiting.is_object()) continue;
      if (!out.empty()) out += ", ";
      out += text(container, "name") + ": " + text(waiting, "reason");
    }
  }
  return out;
}

// notReadySummary names the running containers that are not ready.
std::string notReadySummary(const Json& status) {
  std::string out;
  const Json& containers = field(status, "containerStatuses");
  if (!containers.is_array()) return out;
  for (const Json& container : containers) {
    if (field(container, "ready") == Json(true)) continue;
    if (!out.empty()) out += ", ";
    out += text(container, "name");
  }
  return out;
}

}  // namespace

WorkerAssessment assessWorkerPod(const Json* pod, const std::string& ns,
                                 const std::string& name) {
  const std::string id = ns + "/" + name;
  // Just created and not in the cache yet: the same words as a pod the cache holds without a status, so
  // that the cache catching up costs no status write.
  if (!pod)
    return {{condition::kWorkerReady, false, worker_reason::kPodPending, "worker pod " + id + " is pending"},
            false};
  if (metaOf(*pod).deleting()) {
    return {{condition::kWorkerReady, false, worker_reason::kPodTerminating,
             "worker pod " + id + " is being deleted; a new one is created once it is gone"},
            false};
  }
  const Json& status = field(*pod, "status");
  const std::string podPhase = text(status, "phase");
  if (podPhase == "Failed") {
    std::string detail = text(status, "message");
    if (!detail.empty() && detail.back() == '.') detail.pop_back();
    return failure(worker_reason::kPodFailed,
                   withDetail("worker pod " + id + " failed" +
                                  (text(status, "reason").empty() ? "" : " (" + text(status, "reason") + ")"),
                              detail) +
                       "; delete the session and create a new one");
  }
  if (podPhase == "Succeeded") {
    return failure(worker_reason::kWorkerExited,
                   "worker pod " + id +
                       " has exited: every container completed; the profile's command must "
                       "keep running for the session to be usable");
  }
  for (const char* list : {"initContainerStatuses", "containerStatuses"}) {
    const Json& containers = field(status, list);
    if (!containers.is_array()) continue;
    for (const Json& container : containers) {
      if (auto failed = containerFailure(container, id)) return *failed;
    }
  }
  if (const Json* ready = podCondition(status, "Ready"); ready && text(*ready, "status") == "True") {
    return {{condition::kWorkerReady, true, worker_reason::kPodReady,
             "worker pod " + id + " is running and ready"},
            false};
  }
  if (const Json* scheduled = podCondition(status, "PodScheduled");
      scheduled && text(*scheduled, "status") == "False") {
    return {{condition::kWorkerReady, false, worker_reason::kPodUnschedulable,
             withDetail("worker pod " + id + " cannot be scheduled yet", text(*scheduled, "message"))},
            false};
  }
  if (podPhase == "Running") {
    std::string waiting = notReadySummary(status);
    return {{condition::kWorkerReady, false, worker_reason::kPodNotReady,
             "worker pod " + id + " is running; waiting for " +
                 (waiting.empty() ? std::string("its Ready condition")
                                  : "container(s) " + waiting + " to be ready")},
            false};
  }
  std::string waiting = waitingSummary(status);
  return {{condition::kWorkerReady, false, worker_reason::kPodPending,
           "worker pod " + id + " is pending" + (waiting.empty() ? "" : " (" + waiting + ")")},
          false};
}

WorkerAssessment assessRefusedWorker(const kube::ApiError& error, const std::string& ns,
                                     const std::string& name) {
  return failure(worker_reason::kPodCreateRefused,
                 "the API server refused to create worker pod " + ns + "/" + name + ": " + error.describe());
}

}  // namespace sessiongate::controller
