#pragma once
// The names sessiongate writes to and reads from the API, in one place: its API group and version, the kinds'
// apiVersion, every sessiongate.io/ label, annotation and finalizer, and the MetalLB annotations the controller
// sets and the webhook guards. They are part of the wire contract (docs/, manifests/ and other tools read
// them), so a change here is a change of the API. Tests keep literals where a fixture states what goes on
// the wire.
#include <string_view>

namespace sessiongate {

// kGroup and kVersion are the API group and version of UserSession and SessionPolicy.
inline constexpr const char* kGroup = "sessiongate.io";
inline constexpr const char* kVersion = "v1alpha1";
// kApiVersion is the apiVersion member of a UserSession or SessionPolicy, group/version.
inline constexpr const char* kApiVersion = "sessiongate.io/v1alpha1";
// kUserSessionKind and kSessionPolicyKind are the kinds of the two custom resources.
inline constexpr const char* kUserSessionKind = "UserSession";
inline constexpr const char* kSessionPolicyKind = "SessionPolicy";

// kReservedPrefix starts every label, annotation and finalizer of sessiongate; users may not set them on
// what the controller or the webhook made.
inline constexpr const char* kReservedPrefix = "sessiongate.io/";
// kSessionLabel marks session namespaces and everything made for a session; its value is the session name.
inline constexpr const char* kSessionLabel = "sessiongate.io/session";
// kUserLabel carries the session's owner, sanitised into a label value, on the namespace and pods.
inline constexpr const char* kUserLabel = "sessiongate.io/user";
// kGatewayKey is the label or annotation with which a pod names its gateway.
inline constexpr const char* kGatewayKey = "sessiongate.io/gateway";
// kOwnerAnnotation and kOwnerUidAnnotation name the UserSession a namespace belongs to.
inline constexpr const char* kOwnerAnnotation = "sessiongate.io/owner";
inline constexpr const char* kOwnerUidAnnotation = "sessiongate.io/owner-uid";
// kFinalizer keeps a session until its namespace is gone and its address and ports are free.
inline constexpr const char* kFinalizer = "sessiongate.io/cleanup";
// kIgnoreInactivityAnnotation on a UserSession or its namespace, with value "true", opts the session out of
// idle shutdown.
inline constexpr const char* kIgnoreInactivityAnnotation = "sessiongate.io/ignore-inactivity";
// kGatewayEgressAnnotation on the egress NetworkPolicy explains how the gateway is reached when it is not by
// its IP address.
inline constexpr const char* kGatewayEgressAnnotation = "sessiongate.io/gateway-egress";
// kOwnershipDigestKey is the metadata member under which the controller's informer stores keep an object's
// ownership digest once they have dropped its managedFields. It exists only in the controller's cache, never
// in an object sent to the API server.
inline constexpr const char* kOwnershipDigestKey = "sessiongate.io/ownershipDigest";

// kMetalLbIpsAnnotation is the annotation with which MetalLB is asked for an address: the default of the
// policy's publicExposure.ipAnnotation.
inline constexpr const char* kMetalLbIpsAnnotation = "metallb.universe.tf/loadBalancerIPs";
// kMetalLbAllowSharedIpAnnotation lets MetalLB put several Services on one address when their values match.
inline constexpr const char* kMetalLbAllowSharedIpAnnotation = "metallb.universe.tf/allow-shared-ip";
// kMetalLbPrefixes start MetalLB's annotations (its old and its new name); the webhook refuses both on user
// Services in session namespaces.
inline constexpr const char* kMetalLbPrefixes[] = {"metallb.universe.tf/", "metallb.io/"};

static_assert(std::string_view(kApiVersion) == "sessiongate.io/v1alpha1" &&
                  std::string_view(kApiVersion).substr(0, std::string_view(kGroup).size()) == kGroup &&
                  std::string_view(kApiVersion).substr(std::string_view(kGroup).size() + 1) == kVersion,
              "kApiVersion is kGroup/kVersion");

}  // namespace sessiongate
