#pragma once
// The SessionPolicy model (sessiongate.io/v1alpha1): what an admin allows. Parsing fills defaults and
// reports every malformed field; checkPolicy reports every semantic problem (overlapping pools, defaults
// above maxima, unknown gateways, duplicate names). Both use field paths rooted at "spec".
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_names.h"
#include "core/field_error.h"
#include "core/json.h"

namespace sessiongate {

using Duration = std::chrono::nanoseconds;

// PortRange is an inclusive range of ports, first <= last.
struct PortRange {
  int first = 0;
  int last = 0;
  bool contains(int port) const { return port >= first && port <= last; }
};

// PodSecurityLevel is a Pod Security Standard
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/) the webhook enforces on a profile's
// pods. Privileged is not offered: session pods are never privileged.
enum class PodSecurityLevel { Baseline, Restricted };

// podSecurityName is "baseline" or "restricted", as written in a policy.
const char* podSecurityName(PodSecurityLevel level);

// Profile is one kind of session users may ask for.
struct Profile {
  std::string name;
  std::string image;
  std::vector<std::string> command;
  std::map<std::string, std::string> requests;  // resource name -> quantity text, e.g. cpu: 500m
  std::map<std::string, std::string> limits;
  std::map<std::string, std::string> quotaHard;  // ResourceQuota spec.hard
  Duration defaultTTL{0};                        // parsePolicy defaults it to maxTTL
  Duration maxTTL{0};                            // required, positive
  Duration maxInactivity{0};                     // required, positive
  bool allowImageOverride = false;
  std::vector<std::string> allowedImages;  // globs (* and ?)
  std::vector<std::string> gateways;
  // defaultGateway: parsePolicy defaults it to the first of gateways, or "none" when there are none; "none"
  // (no gateway) needs allowNoGateway, and a profile without gateways needs allowNoGateway.
  std::string defaultGateway;
  bool allowNoGateway = false;
  bool storage = false;  // default for spec.storage
  bool allowPublicExposure = false;
  int maxExposedPorts = 0;
  PodSecurityLevel podSecurity = PodSecurityLevel::Baseline;
};

// Gateway routes a session's traffic (pod-gateway style).
struct Gateway {
  std::string name;
  std::string address;  // DNS name or IP of the gateway
  std::string image;
  std::vector<std::string> dnsServers;
  bool nativeSidecar = false;
};

// StorageConfig is the personal NFS storage mounted into session pods.
struct StorageConfig {
  std::string server;
  std::string pathTemplate;  // contains {user}
  std::string mountPath = "/media/mydrive";
  bool readOnly = false;
};

// PublicExposureConfig is the LoadBalancer IP pool and port rules.
struct PublicExposureConfig {
  std::vector<std::string> ipPool;  // raw entries: single IPs, CIDRs, a-b ranges
  PortRange autoPortRange{49152, 65535};
  std::vector<PortRange> reservedPorts;  // "22" or "8000-8100" entries
  std::string ipAnnotation = kMetalLbIpsAnnotation;
  std::string sharedIPKey;
  std::map<std::string, std::string> commonAnnotations;

  bool isReserved(int port) const;
};

// NetworkConfig shapes the session's NetworkPolicies.
struct NetworkConfig {
  bool allowDNS = true;
  std::vector<std::string> egressCIDRs;
};

// SessionPolicy is the whole policy object.
struct SessionPolicy {
  std::string name;
  std::string resourceVersion;
  std::vector<std::string> adminGroups;
  int maxSessionsPerUser = 0;  // 0: unlimited
  std::vector<Profile> profiles;
  std::vector<Gateway> gateways;
  std::optional<StorageConfig> storage;
  std::optional<PublicExposureConfig> publicExposure;
  NetworkConfig network;

  const Profile* profile(std::string_view name) const;
  const Gateway* gateway(std::string_view name) const;
  // isAdmin is true when one of groups is an adminGroups entry.
  bool isAdmin(const std::vector<std::string>& groups) const;
};

// PolicyParse is the outcome of parsing: the policy when errors is empty.
struct PolicyParse {
  SessionPolicy policy;
  FieldErrors errors;
};

// parsePolicy reads a SessionPolicy object (apiVersion/kind/metadata/spec) and runs checkPolicy on it.
PolicyParse parsePolicy(const Json& object);

// checkPolicy reports every semantic problem of an already parsed policy.
FieldErrors checkPolicy(const SessionPolicy& policy);

}  // namespace sessiongate
