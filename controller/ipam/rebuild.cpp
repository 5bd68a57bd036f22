#include "controller/ipam/rebuild.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "core/object_meta.h"

namespace sessiongate {
namespace {

// ServiceClaim is what one Service says a session holds.
struct ServiceClaim {
  std::string creationTimestamp;
  std::string name;  // namespace/name
  std::string session;
  std::string ipText;
  std::vector<AllocatedPort> ports;
};

std::string stringAt(const Json& object, const Json::json_pointer& pointer) {
  if (!object.contains(pointer)) return {};
  const Json& value = object.at(pointer);
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::string trimmed(std::string text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  const auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

std::string addressOf(const Json& service, const std::string& ipAnnotation) {
  if (auto annotation = metaOf(service).annotation(ipAnnotation)) {
    const std::string list(*annotation);
    std::string first = trimmed(list.substr(0, list.find(',')));
    if (!first.empty()) return first;
  }
  std::string fromSpec = stringAt(service, Json::json_pointer("/spec/loadBalancerIP"));
  if (!fromSpec.empty()) return fromSpec;
  return stringAt(service, Json::json_pointer("/status/loadBalancer/ingress/0/ip"));
}

std::vector<AllocatedPort> portsOf(const Json& service) {
  std::vector<AllocatedPort> ports;
  const Json::json_pointer pointer("/spec/ports");
  if (!service.contains(pointer) || !service.at(pointer).is_array()) return ports;
  for (const Json& p : service.at(pointer)) {
    if (!p.is_object() || !p.contains("port") || !p["port"].is_number_integer()) continue;
    AllocatedPort port;
    port.name = stringAt(p, Json::json_pointer("/name"));
    const std::string protocol = stringAt(p, Json::json_pointer("/protocol"));
    port.protocol = protocol.empty() ? "TCP" : protocol;
    port.port = p["port"].get<int>();
    // A named targetPort ("http") has no number; 0 says so.
    if (p.contains("targetPort") && p["targetPort"].is_number_integer())
      port.targetPort = p["targetPort"].get<int>();
    ports.push_back(std::move(port));
  }
  return ports;
}

std::optional<ServiceClaim> readService(const Json& service, const std::string& ipAnnotation) {
  if (!service.is_object()) return std::nullopt;
  const ObjectMeta meta(service);
  std::string session(meta.label(kSessionLabel).value_or(""));
  if (session.empty()) return std::nullopt;
  if (stringAt(service, Json::json_pointer("/spec/type")) != "LoadBalancer") return std::nullopt;
  ServiceClaim claim;
  claim.creationTimestamp = std::string(meta.creationTimestamp());
  claim.name = stringAt(service, Json::json_pointer("/metadata/namespace")) + "/" +
               stringAt(service, Json::json_pointer("/metadata/name"));
  claim.session = session;
  claim.ipText = addressOf(service, ipAnnotation);
  claim.ports = portsOf(service);
  return claim;
}

std::string describe(const ServiceClaim& claim) {
  return "Service " + claim.name + " (session " + claim.session + ")";
}

}  // namespace

RebuildResult rebuildAllocations(const Json& services, const std::string& ipAnnotation) {
  RebuildResult result;
  const Json* items = &services;
  if (services.is_object() && services.contains("items")) items = &services["items"];
  if (!items->is_array()) {
    result.skipped.push_back("the Service list is neither a JSON array nor an object with an items array");
    return result;
  }

  std::vector<ServiceClaim> claims;
  for (const Json& service : *items) {
    if (auto claim = readService(service, ipAnnotation)) claims.push_back(std::move(*claim));
  }
  // The older Service wins a conflict, whatever order the API server listed them in.
  std::sort(claims.begin(), claims.end(), [](const ServiceClaim& a, const ServiceClaim& b) {
    return std::tie(a.creationTimestamp, a.name) < std::tie(b.creationTimestamp, b.name);
  });

  std::map<std::pair<IpAddress, PortKey>, const ServiceClaim*> claimedBy;
  std::map<std::string, const ServiceClaim*> firstServiceOf;
  for (const ServiceClaim& claim : claims) {
    if (claim.ipText.empty()) {
      result.skipped.push_back(describe(claim) + " has no address in annotation " + ipAnnotation +
                               ", spec.loadBalancerIP or status.loadBalancer; its ports are not counted");
      continue;
    }
    auto ip = IpAddress::parse(claim.ipText);
    if (!ip) {
      result.skipped.push_back(describe(claim) + ": " + ip.error() + "; its ports are not counted");
      continue;
    }
    const Allocation* record = result.table.find(claim.session);
    if (record == nullptr) {
      result.table.setRecord(claim.session, Allocation{*ip, claim.ports});
      firstServiceOf[claim.session] = &claim;
    } else if (record->ip == *ip) {
      Allocation merged = *record;
      merged.ports.insert(merged.ports.end(), claim.ports.begin(), claim.ports.end());
      result.table.setRecord(claim.session, merged);
    } else {
      const ServiceClaim& first = *firstServiceOf[claim.session];
      result.conflicts.push_back("session " + claim.session +
                                 " has Services on two addresses: " + first.name + " on " + record->ip.str() +
                                 " and " + claim.name + " on " + ip->str() + "; IPAM keeps " +
                                 record->ip.str() + " and counts the ports of both");
    }
    for (const AllocatedPort& port : claim.ports) {
      const auto key = std::make_pair(*ip, port.key());
      if (auto holder = result.table.claim(claim.session, *ip, port.key())) {
        result.conflicts.push_back(ip->str() + " " + port.key().str() + " is claimed by " +
                                   describe(*claimedBy[key]) + " and by " + describe(claim) + "; session " +
                                   *holder + " keeps it");
        continue;
      }
      claimedBy.emplace(key, &claim);
    }
  }
  return result;
}

}  // namespace sessiongate
