#pragma once
// What the controller's informers keep of each kind: the trimming that makes a cached object cost only what
// the reconcile reads. Every store drops metadata.managedFields but keeps their ownership digest under
// kOwnershipDigestKey (AppliedRecords compares it); status is dropped for the kinds whose status is never
// read, and of the worker pods' status only what worker_status and idleness read is kept.
#include "core/kube/object_store.h"
#include "core/kube/resource_ref.h"

namespace sessiongate::controller {

// storeKeepsStatus: the controller reads the status of its UserSessions, of the worker pods (WorkerReady)
// and of the Services (the load balancer's ingress, for Exposed); of the other kinds it never reads it, so
// their stores drop it.
bool storeKeepsStatus(const kube::ResourceRef& ref);

// objectTrim is the trim for a store that keeps (keepStatus) or drops every object's status.
kube::ObjectTrim objectTrim(bool keepStatus);

// trimFor is the trim of the controller's store for ref: objectTrim(storeKeepsStatus(ref)); for the kinds the
// controller owns (every kind outside sessiongate.io) also the metadata the API server assigns and nothing
// reads (uid, creationTimestamp, generation); for pods, of the spec only what workerPodObject writes (the
// containers' name, image, command and securityContext: what covers() compares) and of the status only
// what assessWorkerPod and sessionEndpoints read (phase, reason, message, conditions' type, status, reason
// and message, the containers' name, image, ready, restartCount, state and lastState, podIP and podIPs).
kube::ObjectTrim trimFor(const kube::ResourceRef& ref);

}  // namespace sessiongate::controller
