#pragma once
// WorkerReady: what the worker pod's status says about the session, read from the pod informer's copy. A
// worker that cannot start (an image that cannot be pulled, a container in a crash loop, a container the
// runtime cannot create, a failed or finished pod, a pod the API server refused to create) is a failure the
// user must act on: it carries the reason, the container and the kubelet's or API server's own words.
// Pure logic, tested as a fixture table (tests/controller/fixtures/worker/).
#include <optional>
#include <string>

#include "controller/reconcile/status.h"
#include "core/json.h"
#include "core/kube/api_error.h"

namespace sessiongate::controller {

// Reasons of the WorkerReady condition (and of the Warning Events of the failures).
namespace worker_reason {
inline constexpr const char* kPodReady = "PodReady";
inline constexpr const char* kPodPending = "PodPending";              // not scheduled or not started yet
inline constexpr const char* kPodUnschedulable = "PodUnschedulable";  // the scheduler found no node (yet)
inline constexpr const char* kPodNotReady = "PodNotReady";            // running, readiness not reached
inline constexpr const char* kPodTerminating = "PodTerminating";
inline constexpr const char* kImagePullFailed = "ImagePullFailed";
inline constexpr const char* kCrashLoopBackOff = "CrashLoopBackOff";
inline constexpr const char* kContainerCreateFailed = "ContainerCreateFailed";
inline constexpr const char* kPodFailed = "PodFailed";
inline constexpr const char* kWorkerExited = "WorkerExited";
inline constexpr const char* kPodCreateRefused = "PodCreateRefused";
}  // namespace worker_reason

// WorkerAssessment is the WorkerReady condition and whether it is a failure (phase Error, a Warning Event).
struct WorkerAssessment {
  ConditionState condition;
  bool failed = false;
};

// assessWorkerPod reads the worker pod (null: the cache does not hold it yet); ns/name name it in
// messages.
WorkerAssessment assessWorkerPod(const Json* pod, const std::string& ns,
                                 const std::string& name);
// assessRefusedWorker is the condition of a worker pod whose create the API server refused (quota,
// admission, validation): the API's own error, as kubectl would print it.
WorkerAssessment assessRefusedWorker(const kube::ApiError& error, const std::string& ns,
                                     const std::string& name);

}  // namespace sessiongate::controller
