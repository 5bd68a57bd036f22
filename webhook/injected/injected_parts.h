#pragma once
// The parts the pod mutator injects into session pods (gateway-init, gateway-sidecar, the mydrive volume),
// rendered in this one place: the mutator writes them from here and the validators compare against the same
// rendering, so "exactly as injected" cannot drift from what is injected. Depends on core/ only.
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/policy.h"
#include "core/user_session.h"

namespace sessiongate::webhook {

// kGatewayInit and kGatewaySidecar name the injected gateway containers; kDriveVolume the storage volume.
inline constexpr std::string_view kGatewayInit = "gateway-init";
inline constexpr std::string_view kGatewaySidecar = "gateway-sidecar";
inline constexpr std::string_view kDriveVolume = "mydrive";

// GatewayRole is which of the two gateway containers.
enum class GatewayRole { Init, Sidecar };

// gatewayContainer is the container the mutator injects for gateway in role; native makes the sidecar an
// init container with restartPolicy Always.
Json gatewayContainer(const Gateway& gateway, GatewayRole role, bool native);

// drivePath is the storage pathTemplate with {user} replaced by user.
std::string drivePath(const StorageConfig& storage, std::string_view user);

// driveVolume is the NFS volume mydrive of user's drive.
Json driveVolume(const StorageConfig& storage, std::string_view user);

// driveMount is the volumeMount of mydrive in application containers.
Json driveMount(const StorageConfig& storage);

// normalizedName is name lowercased with everything but letters and digits dropped, so that names that only
// differ in case or punctuation (Gateway_Sidecar, gatewaysidecar, my-drive) compare equal.
std::string normalizedName(std::string_view name);

// looksLikeGatewayContainer is true for a name that takes the form of a gateway container's name: its
// normalized form starts with "gatewayinit" or "gatewaysidecar" (gateway-sidecar-2, GatewaySidecar, ...).
bool looksLikeGatewayContainer(std::string_view name);

// looksLikeDriveVolume is true for a volume name whose normalized form starts with "mydrive".
bool looksLikeDriveVolume(std::string_view name);

// chosenGateway is the gateway a pod of the session gets: the pod's own sessiongate.io/gateway label, else
// its annotation, when the profile allows that gateway; else the session's spec.gateway; else the profile's
// defaultGateway. Null for none (or a name the policy does not define).
const Gateway* chosenGateway(const SessionPolicy& policy, const Profile& profile, const UserSession& session,
                             std::optional<std::string_view> podLabel,
                             std::optional<std::string_view> podAnnotation);

// profileAllowsGateway is true when profile lists gateway, or gateway is "none" and the profile allows none.
bool profileAllowsGateway(const Profile& profile, std::string_view gateway);

// sessionHasStorage is true when the session mounts the drive (spec.storage, default the profile's) and the
// policy has a storage block.
bool sessionHasStorage(const SessionPolicy& policy, const Profile& profile, const UserSession& session);

}  // namespace sessiongate::webhook
