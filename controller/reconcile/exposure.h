#pragma once
// Public exposure of a session: IPAM chooses the address and ports under the allocator's lock (sticky
// address, packing, explicit ports first), the LoadBalancer Service "public" carries the choice in its
// annotations, and the reservation is committed once the API server accepted the Service, aborted otherwise.
// A session no longer exposed loses its Service and everything it held. The exposure is Ready (and condition
// Exposed True) only once the Service's status.loadBalancer.ingress holds the allocated address: the load
// balancer (MetalLB) announces it.
#include <optional>
#include <string>

#include "controller/ipam/allocation.h"
#include "controller/ipam/ipam_allocator.h"
#include "controller/reconcile/applied_records.h"
#include "controller/reconcile/cluster_client.h"
#include "controller/reconcile/session_facts.h"
#include "controller/reconcile/status.h"
#include "core/json.h"
#include "core/timestamps.h"

namespace sessiongate::controller {

// ExposureOutcome is what reconcileExposure did.
struct ExposureOutcome {
  // status is status.publicExposure, or nullopt when the session asks for no exposure.
  std::optional<PublicExposureStatus> status;
  // announced is what the Service's status.loadBalancer.ingress holds (addresses, comma-separated), "" when
  // nothing.
  std::string announced;
  // allocation describes the address and ports held ("198.51.100.10: TCP 443->8080"), "" when none.
  std::string allocation;
  // allocated is true when the session got a different address or ports than it held before.
  bool allocated = false;
  // awaitingCache: the Service was created a moment ago and is not in the cache yet (see ChildrenOutcome).
  bool awaitingCache = false;
  // apiError is set when an API call failed; the reconcile is retried with backoff.
  std::optional<kube::ApiError> apiError;
};

// serviceObject is Service public: type LoadBalancer without node ports, selecting the session's pods, with
// the IPAM annotations and one port per allocated port.
Json serviceObject(const SessionFacts& facts, const PublicExposureConfig& exposure,
                   const Allocation& allocation);
// currentAddress is the address the session holds now: the cached Service's ipAnnotation, else
// status.publicExposure.externalIP.
std::optional<IpAddress> currentAddress(const SessionFacts& facts, const ObjectCache& cache);
// exposedCondition is condition Exposed for outcome: NotRequested (False) without spec.publicExposure,
// AllocationFailed, LoadBalancerPending until the Service announces the address, LoadBalancerReady.
ConditionState exposedCondition(const ExposureOutcome& outcome);
// ExposureWrites is how reconcileExposure decides whether the Service needs a request: the records of what
// the controller applied (the Service is skipped while its desired form and ownership digest are unchanged,
// and while a Service just created is still on its way to the cache) and the time.
struct ExposureWrites {
  AppliedRecords& records;
  WallTime now;
  std::chrono::milliseconds cacheAllowance;
};

// reconcileExposure makes the cluster match spec.publicExposure. The allocator's config must be the policy's.
ExposureOutcome reconcileExposure(const SessionFacts& facts, ClusterClient& client, const ObjectCache& cache,
                                  IpamAllocator& ipam, ExposureWrites writes);

}  // namespace sessiongate::controller
