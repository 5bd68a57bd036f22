#pragma once
// The UserSession model (sessiongate.io/v1alpha1, cluster-scoped). Parsing reports malformed fields with
// their paths; the policy-dependent rules live in the webhook's validators.
#include <optional>
#include <string>
#include <vector>

#include "core/field_error.h"
#include "core/json.h"

namespace sessiongate {

// ExposedPort is one entry of spec.publicExposure.ports.
struct ExposedPort {
  std::string name;
  std::string protocol = "TCP";  // TCP, UDP or SCTP
  std::int64_t targetPort = 0;
  std::int64_t port = 0;  // 0: assign automatically
};

// UserSessionSpec is spec as written by the user; unset optional fields take the profile's defaults.
struct UserSessionSpec {
  std::string user;
  std::string profile;
  std::optional<std::string> image;
  std::optional<std::string> gateway;
  std::optional<bool> storage;
  std::optional<std::string> ttl;                // Go duration text as written
  std::optional<std::string> inactivityTimeout;  // Go duration text as written
  bool hasPublicExposure = false;
  std::vector<ExposedPort> ports;
};

// UserSession is the parts of the object the webhook and controller read.
struct UserSession {
  std::string name;
  std::string uid;
  std::string creationTimestamp;
  std::string resourceVersion;
  std::int64_t generation = 0;
  bool deleting = false;  // metadata.deletionTimestamp set
  UserSessionSpec spec;
  Json status;  // as stored, may be null
};

// SessionParse is the outcome of parsing: the session when errors is empty.
struct SessionParse {
  UserSession session;
  FieldErrors errors;
};

// parseUserSession reads a UserSession object; errors name malformed fields (types, enums, ranges).
SessionParse parseUserSession(const Json& object);

}  // namespace sessiongate
