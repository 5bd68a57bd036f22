#include "controller/ipam/allocation.h"

namespace sessiongate {

std::string PortKey::str() const {
  return protocol + " port " + std::to_string(port);
}

Json toJson(const Allocation& allocation) {
  Json ports = Json::array();
  for (const AllocatedPort& p : allocation.ports) {
    ports.push_back(
        {{"name", p.name}, {"protocol", p.protocol}, {"port", p.port}, {"targetPort", p.targetPort}});
  }
  return {{"ip", allocation.ip.str()}, {"ports", std::move(ports)}};
}

}  // namespace sessiongate
