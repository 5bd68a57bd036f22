#pragma once
// What the webhook's informers let through of each kind: exactly what the admission cache parses (the
// readers in core/user_session_reader.h and core/policy.cpp, and the Namespace's name and labels). A trim
// runs on every listed item as its page arrives and on every watched object, so a relist of thousands of
// UserSessions never holds their status, managedFields or last-applied annotations.
#include "core/kube/object_store.h"

namespace sessiongate::webhook {

// sessionTrim keeps metadata name, uid, creationTimestamp, resourceVersion, generation and
// deletionTimestamp, and spec.
kube::ObjectTrim sessionTrim();
// policyTrim keeps metadata name and resourceVersion, and spec.
kube::ObjectTrim policyTrim();
// namespaceTrim keeps metadata name, resourceVersion and labels.
kube::ObjectTrim namespaceTrim();

}  // namespace sessiongate::webhook
