#pragma once
// The session's worker Pod. The mutating webhook adds the gateway containers, storage and resource defaults
// at admission; the controller only sets what the session asks for.
#include "controller/reconcile/session_facts.h"
#include "core/json.h"

namespace sessiongate::controller {

// workerPodObject is Pod worker: one container "worker" running spec.image (when set) or the profile's image,
// with the profile's command, labelled with the session. The user label is left to the webhook, which
// writes the same label on every session pod.
Json workerPodObject(const SessionFacts& facts);

}  // namespace sessiongate::controller
