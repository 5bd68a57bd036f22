#pragma once
// serviceAnnotations is what the session's LoadBalancer Service carries so the load balancer (MetalLB by
// default) gives it the address IPAM chose.
#include <map>
#include <string>

#include "core/api_names.h"
#include "core/ip_pool.h"
#include "core/policy.h"

namespace sessiongate {

// serviceAnnotations returns commonAnnotations, then ipAnnotation = ip and, when sharedIPKey is set,
// allow-shared-ip = sharedIPKey; the last two win over a commonAnnotations entry of the same key, since
// IPAM's choice must reach the load balancer. Packing sessions onto one address needs sharedIPKey with
// MetalLB.
std::map<std::string, std::string> serviceAnnotations(const PublicExposureConfig& exposure,
                                                      const IpAddress& ip);

}  // namespace sessiongate
