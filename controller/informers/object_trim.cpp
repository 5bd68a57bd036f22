#include "controller/informers/object_trim.h"

#include <initializer_list>
#include <string>
#include <utility>

#include "controller/reconcile/applied_records.h"

namespace sessiongate::controller {
namespace {

// dropManagedFields replaces metadata.managedFields by their ownership digest.
void dropManagedFields(Json& object) {
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object() || !metadata->contains("managedFields")) return;
  const OwnershipDigest digest = ownershipDigest(object);
  metadata->erase("managedFields");
  (*metadata)[kOwnershipDigestKey] = digest;
}

// trimPodStatus keeps of a pod's status what assessWorkerPod (worker_status.cpp) and sessionEndpoints
// (idleness.cpp: the pod's addresses) read.
void trimPodStatus(Json& pod) {
  auto status = pod.find("status");
  if (status == pod.end() || !status->is_object()) return;
  kube::keepOnlyMembers(*status, {"phase", "reason", "message", "conditions", "initContainerStatuses",
                                  "containerStatuses", "podIP", "podIPs"});
  for (const char* list : {"initContainerStatuses", "containerStatuses"}) {
    auto containers = status->find(list);
    if (containers == status->end() || !containers->is_array()) continue;
    for (Json& container : *containers)
      kube::keepOnlyMembers(container, {"name", "image", "ready", "restartCount", "state", "lastState"});
  }
  auto conditions = status->find("conditions");
  if (conditions != status->end() && conditions->is_array()) {
    for (Json& condition : *conditions)
      kube::keepOnlyMembers(condition, {"type", "status", "reason", "message"});
  }
}

// dropServerMetadata erases the metadata the API server assigns and no reader of an owned object uses: the
// desired forms the reconcile compares with (covers, children.cpp) never set uid, creationTimestamp or
// generation, ownership is read from the owner-uid annotation, and AppliedRecords falls back on
// resourceVersion (kept) when there were no managedFields. About a tenth of a cached child.
void dropServerMetadata(Json& object) {
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return;
  for (const char* key : {"uid", "creationTimestamp", "generation"}) metadata->erase(key);
}

// trimPodSpec keeps of a pod's spec what workerPodObject writes: the containers' name, image, command and
// securityContext. covers() compares the cached pod with that desired form key by key (containers matched by
// name), so the fields the API server and its admission plugins add (volumes, volumeMounts, tolerations,
// dnsPolicy, ...) are never read; they were half of a cached pod.
void trimPodSpec(Json& pod) {
  auto spec = pod.find("spec");
  if (spec == pod.end() || !spec->is_object()) return;
  kube::keepOnlyMembers(*spec, {"containers"});
  auto containers = spec->find("containers");
  if (containers == spec->end() || !containers->is_array()) return;
  for (Json& container : *containers)
    kube::keepOnlyMembers(container, {"name", "image", "command", "securityContext"});
}

}  // namespace

bool storeKeepsStatus(const kube::ResourceRef& ref) {
  return ref.group == "sessiongate.io" ||
         (ref.group.empty() && (ref.resource == "pods" || ref.resource == "services"));
}

kube::ObjectTrim objectTrim(bool keepStatus) {
  return [keepStatus](Json& object) {
    dropManagedFields(object);
    if (!keepStatus) object.erase("status");
  };
}

kube::ObjectTrim trimFor(const kube::ResourceRef& ref) {
  if (ref.group.empty() && ref.resource == "pods") {
    return [](Json& pod) {
      dropManagedFields(pod);
      dropServerMetadata(pod);
      trimPodSpec(pod);
      trimPodStatus(pod);
    };
  }
  if (ref.group == "sessiongate.io") return objectTrim(storeKeepsStatus(ref));
  return [keepStatus = storeKeepsStatus(ref)](Json& child) {
    dropManagedFields(child);
    dropServerMetadata(child);
    if (!keepStatus) child.erase("status");
  };
}

}  // namespace sessiongate::controller
