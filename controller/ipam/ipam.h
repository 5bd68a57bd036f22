#pragma once
// IPAM for public exposure, pure and without I/O: given the pool and port rules of the policy, the table of
// what every session holds, and one session's request, choose the session's address and ports or explain
// why nothing fits.
//
// Order of preference for the address:
//   1. the session's current address (its request's currentIp, else its record in the table), so a
//      re-reconcile gives the same answer and a changed port list keeps the address when it still fits;
//   2. addresses already in use by other sessions, in pool order (entry order, then numeric), so sessions
//      pack onto few addresses; pool order rather than most-used-first keeps the choice stable while other
//      sessions come and go;
//   3. the first unused address in pool order.
// Ports: explicit ports are placed first; an automatic port keeps the port it already had (same name and
// protocol, same address) when that is still free, else it takes the lowest free port of autoPortRange that
// is not in reservedPorts. Ports are counted per protocol: TCP 53 and UDP 53 do not conflict. Pairs the
// requesting session itself holds never conflict with its request.
#include <vector>

#include "controller/ipam/allocation.h"
#include "controller/ipam/allocation_table.h"
#include "core/ip_pool.h"
#include "core/policy.h"
#include "core/result.h"

namespace sessiongate {

// IpamConfig is the parsed publicExposure block of the policy.
struct IpamConfig {
  IpPool pool;
  PortRange autoPortRange{49152, 65535};
  std::vector<PortRange> reservedPorts;
  // shareAddresses lets sessions pack onto one address (step 2 above). A load balancer gives an address to
  // several Services only when they ask for it (MetalLB: the same allow-shared-ip key), so from a policy it is
  // on exactly when publicExposure.sharedIPKey is set; otherwise each session gets an address of its own.
  bool shareAddresses = true;

  // fromPolicy parses the pool; the error names the bad entry.
  static Result<IpamConfig> fromPolicy(const PublicExposureConfig& exposure);
  // isReserved is true when port is in one of reservedPorts.
  bool isReserved(int port) const;
};

// allocate chooses the address and ports for request, or returns an error a user can act on (an invalid
// request, or why no address of the pool fits). It does not change the table.
Result<Allocation> allocate(const IpamConfig& config, const AllocationTable& table,
                            const AllocationRequest& request);

}  // namespace sessiongate
