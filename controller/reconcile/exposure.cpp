#include "controller/reconcile/exposure.h"

#include <algorithm>
#include <cctype>

#include "controller/ipam/service_annotations.h"
#include "controller/reconcile/names.h"
#include "controller/reconcile/namespace.h"
#include "core/object_meta.h"

namespace sessiongate::controller {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

PublicExposureStatus exposureStatus(const std::string& phase, const std::string& message,
                                    const Allocation* allocation) {
  PublicExposureStatus status{phase, message, std::nullopt, {}};
  if (allocation != nullptr) {
    status.externalIP = allocation->ip.str();
    status.ports = allocation->ports;
  }
  return status;
}

PublicExposureStatus errorStatus(const std::string& message) {
  return exposureStatus(exposure_phase::kError, message, nullptr);
}

// announcedAddresses is the Service's status.loadBalancer.ingress[].ip (and hostname) list.
std::vector<std::string> announcedAddresses(const Json& service) {
  std::vector<std::string> out;
  auto status = service.find("status");
  if (status == service.end() || !status->is_object()) return out;
  auto balancer = status->find("loadBalancer");
  if (balancer == status->end() || !balancer->is_object()) return out;
  auto ingress = balancer->find("ingress");
  if (ingress == balancer->end() || !ingress->is_array()) return out;
  for (const Json& entry : *ingress) {
    if (!entry.is_object()) continue;
    if (entry.contains("ip") && entry["ip"].is_string())
      out.push_back(entry["ip"].get<std::string>());
    else if (entry.contains("hostname") && entry["hostname"].is_string())
      out.push_back(entry["hostname"].get<std::string>());
  }
  return out;
}

AllocationRequest requestOf(const SessionFacts& facts, const ObjectCache& cache) {
  AllocationRequest request;
  request.session = facts.session.name;
  for (const ExposedPort& port : facts.session.spec.ports) {
    request.ports.push_back(
        {port.name, port.protocol, static_cast<int>(port.targetPort), static_cast<int>(port.port)});
  }
  request.currentIp = currentAddress(facts, cache);
  return request;
}

std::string describePorts(const Allocation& allocation) {
  std::string out;
  for (const AllocatedPort& port : allocation.ports) {
    if (!out.empty()) out += ", ";
    out += port.protocol + " " + std::to_string(port.port) + "->" + std::to_string(port.targetPort);
  }
  return out;
}

}  // namespace

Json serviceObject(const SessionFacts& facts, const PublicExposureConfig& exposure,
                   const Allocation& allocation) {
  Json annotations = Json::object();
  for (const auto& [key, value] : serviceAnnotations(exposure, allocation.ip)) annotations[key] = value;
  Json ports = Json::array();
  for (const AllocatedPort& port : allocation.ports) {
    std::string name = port.name.empty() ? lower(port.protocol) + "-" + std::to_string(port.port) : port.name;
    ports.push_back(
        {{"name", name}, {"protocol", port.protocol}, {"port", port.port}, {"targetPort", port.targetPort}});
  }
  return {
      {"apiVersion", "v1"},
      {"kind", "Service"},
      {"metadata",
       {{"name", kServiceName},
        {"namespace", facts.ns},
        {"labels", sessionLabels(facts)},
        {"annotations", annotations}}},
      {"spec",
       {{"type", "LoadBalancer"},
        {"allocateLoadBalancerNodePorts", false},
        {"selector", {{kSessionLabel, facts.session.name}}},
        {"ports", ports}}},
  };
}

std::optional<IpAddress> currentAddress(const SessionFacts& facts, const ObjectCache& cache) {
  if (facts.policy.publicExposure) {
    if (auto service = cache.find(kube::resources::kServices, facts.ns, kServiceName)) {
      if (auto value = metaOf(*service).annotation(facts.policy.publicExposure->ipAnnotation)) {
        if (auto ip = IpAddress::parse(std::string(value->substr(0, value->find(','))))) return *ip;
      }
    }
  }
  if (auto stored = storedPublicExposure(facts.session.status); stored && stored->externalIP) {
    if (auto ip = IpAddress::parse(*stored->externalIP)) return *ip;
  }
  return std::nullopt;
}

ConditionState exposedCondition(const ExposureOutcome& outcome) {
  if (!outcome.status) {
    return {condition::kExposed, false, "NotRequested",
            "the session asks for no public exposure (spec.publicExposure has no ports)"};
  }
  const PublicExposureStatus& status = *outcome.status;
  if (status.phase == exposure_phase::kError)
    return {condition::kExposed, false, "AllocationFailed", status.message};
  if (status.phase == exposure_phase::kReady)
    return {condition::kExposed, true, "LoadBalancerReady", status.message};
  return {condition::kExposed, false,
          outcome.announced.empty() ? "LoadBalancerPending" : "LoadBalancerMismatch", status.message};
}

ExposureOutcome reconcileExposure(const SessionFacts& facts, ClusterClient& client, const ObjectCache& cache,
                                  IpamAllocator& ipam, ExposureWrites writes) {
  ExposureOutcome outcome;
  const std::string& name = facts.session.name;
  if (!facts.session.spec.hasPublicExposure || facts.session.spec.ports.empty()) {
    if (cache.find(kube::resources::kServices, facts.ns, kServiceName)) {
      auto removed = client.remove(kube::resources::kServices, facts.ns, kServiceName);
      if (!removed && !removed.error().notFound()) {
        outcome.apiError = removed.error();
        return outcome;
      }
    }
    ipam.release(name);
    return outcome;
  }
  if (!facts.policy.publicExposure) {
    outcome.status =
        errorStatus("the SessionPolicy " + facts.policy.name +
                    " has no publicExposure block, so no address can be given; ask an admin to add an "
                    "ipPool or remove spec.publicExposure");
    return outcome;
  }
  std::optional<Allocation> before = ipam.find(name);
  auto allocation = ipam.allocate(requestOf(facts, cache));
  if (!allocation) {
    outcome.status = errorStatus(allocation.error());
    return outcome;
  }
  const Json desired = serviceObject(facts, *facts.policy.publicExposure, *allocation);
  const std::string key = childKey(kube::resources::kServices.resource, facts.ns, kServiceName);
  const std::size_t desiredHash = desiredHashOf(desired);
  kube::SharedObject service = cache.find(kube::resources::kServices, facts.ns, kServiceName);
  const AppliedRecords::ApplyNeed need =
      writes.records.need(key, desiredHash, service.get(), writes.now, writes.cacheAllowance);
  outcome.awaitingCache = need == AppliedRecords::ApplyNeed::AwaitingCache;
  if (need == AppliedRecords::ApplyNeed::Apply) {
    const bool cached = service != nullptr;
    auto applied = client.apply(kube::resources::kServices, desired);
    if (!applied) {
      ipam.abort(name);
      outcome.apiError = applied.error();
      return outcome;
    }
    writes.records.record(key, desiredHash, ownershipDigest(*applied), cached, writes.now);
    // The apply's answer is the Service as stored, status included: the freshest word of the load balancer.
    service = std::make_shared<const Json>(std::move(*applied));
  }
  ipam.commit(name);
  outcome.allocated = !before || *before != *allocation;
  // Unchanged, the cached Service's status is the load balancer's word (the informer keeps Services' status).
  bool announced = false;
  for (const std::string& address : service ? announcedAddresses(*service) : std::vector<std::string>{}) {
    if (!outcome.announced.empty()) outcome.announced += ",";
    outcome.announced += address;
    auto ip = IpAddress::parse(address);
    if (ip && *ip == allocation->ip) announced = true;
  }
  std::string exposed = allocation->ip.str() + ": " + describePorts(*allocation);
  outcome.allocation = exposed;
  if (announced) {
    outcome.status = exposureStatus(exposure_phase::kReady, "exposed on " + exposed, &*allocation);
  } else if (outcome.announced.empty()) {
    outcome.status = exposureStatus(exposure_phase::kProvisioning,
                                    "allocated " + exposed + "; waiting for the load balancer to announce " +
                                        allocation->ip.str() + " (Service " + facts.ns + "/" + kServiceName +
                                        " has no status.loadBalancer.ingress yet)",
                                    &*allocation);
  } else {
    outcome.status = exposureStatus(exposure_phase::kProvisioning,
                                    "allocated " + exposed + "; the load balancer announces " +
                                        outcome.announced + " instead of " + allocation->ip.str() +
                                        " (check its address pools and the Service's " +
                                        facts.policy.publicExposure->ipAnnotation + " annotation)",
                                    &*allocation);
  }
  return outcome;
}

}  // namespace sessiongate::controller
