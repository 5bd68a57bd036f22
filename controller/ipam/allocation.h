#pragma once
// The values IPAM works with: what a session asks for (AllocationRequest), what it gets (Allocation), and
// the (protocol, port) key that makes TCP 53 and UDP 53 two different ports.
#include <compare>
#include <optional>
#include <string>
#include <vector>

#include "core/ip_pool.h"
#include "core/json.h"

namespace sessiongate {

// PortKey is one port of one protocol on an address.
struct PortKey {
  std::string protocol;  // TCP, UDP or SCTP
  int port = 0;

  // str renders "TCP port 8080", the way error messages name a port.
  std::string str() const;
  auto operator<=>(const PortKey&) const = default;
  bool operator==(const PortKey&) const = default;
};

// PortRequest is one entry of spec.publicExposure.ports.
struct PortRequest {
  std::string name;
  std::string protocol = "TCP";
  int targetPort = 0;
  int port = 0;  // 0: assign automatically from autoPortRange
};

// AllocationRequest asks IPAM for an address and ports for one session.
struct AllocationRequest {
  std::string session;
  std::vector<PortRequest> ports;
  // currentIp is the address the session already has (its Service or status), preferred if it still fits.
  std::optional<IpAddress> currentIp;
};

// AllocatedPort is one exposed port with its assigned public port.
struct AllocatedPort {
  std::string name;
  std::string protocol = "TCP";
  int port = 0;
  int targetPort = 0;

  PortKey key() const { return {protocol, port}; }
  bool operator==(const AllocatedPort&) const = default;
};

// Allocation is a session's public address and its ports, in the order they were requested.
struct Allocation {
  IpAddress ip;
  std::vector<AllocatedPort> ports;

  bool operator==(const Allocation&) const = default;
};

// toJson renders {"ip": "192.0.2.1", "ports": [{"name", "protocol", "port", "targetPort"}]}, the shape of
// status.publicExposure's externalIP and ports.
Json toJson(const Allocation& allocation);

}  // namespace sessiongate
