#pragma once
// mutators: the mutating admission rules of DESIGN.md, plain functions of (request, cluster view) that answer
// with an RFC 6902 patch touching only what they change. Depends on core/, webhook/admission and
// webhook/injected (the injected parts, rendered where the validators compare against them) only.
#include "core/cluster_view.h"
#include "webhook/admission/decision.h"
#include "webhook/admission/request.h"

namespace sessiongate::webhook {

// mutatePod completes a pod created in a session namespace (labelled sessiongate.io/session):
//  - labels sessiongate.io/session and sessiongate.io/user;
//  - the gateway (pod label or annotation sessiongate.io/gateway if the profile allows it, else the
//    session's spec.gateway, else the profile's defaultGateway; none for "none" or empty): init container
//    gateway-init and sidecar gateway-sidecar (a native sidecar, an init container with restartPolicy
//    Always right after gateway-init, when the gateway says nativeSidecar), both with the gateway's image,
//    pod-gateway's client scripts, env `gateway` and `DNS`, NET_ADMIN/NET_RAW and small fixed resources
//    (LimitRange defaults are applied before webhooks run, and a quota would otherwise reject the pod);
//    dnsConfig.nameservers from the gateway's dnsServers and then dnsPolicy None, so that name lookups,
//    like all traffic, leave through the gateway;
//  - storage (session spec.storage, default the profile's, and a policy storage block): NFS volume mydrive
//    mounted at the policy's mountPath in every application container;
//  - the profile's resources for application containers that set neither requests nor limits: only
//    resources.requests and resources.limits are written, so claims and any other member stay.
// Idempotent: a pod that already has all of it gets no patch. Only CREATE is mutated. A pod whose namespace or
// session the cache does not know yet is refused with a retryable answer (never admitted without its gateway).
// A pod with a member of a type the patch cannot go into (a container that is not an object, ...) is refused
// with the field paths (see pod_shape.h): every patch written applies.
Decision mutatePod(const AdmissionRequest& request, const ClusterView& view);

}  // namespace sessiongate::webhook
