#include "controller/reconcile/exposure.h"

#include <algorithm>
#include <cctype>

#include "controller/ipam/service_annotations.h"
#include "controller/reconcile/names.h"
#include "controller/reconcile/namespace.h"

namespace sessiongate::controller {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

Json exposureStatus(const std::string& phase, const std::string& message, const Allocation* allocation) {
  Json status = {{"phase", phase}, {"message", message}};
  if (allocation != nullptr) {
    Json rendered = toJson(*allocation);
    status["externalIP"] = rendered["ip"];
    status["ports"] = rendered["ports"];
  }
  return status;
}

Json errorStatus(const std::string& message) {
  return exposureStatus("Error", message, nullptr);
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
      const Json* annotations = nullptr;
      if (service->contains("metadata") && (*service)["metadata"].contains("annotations")) {
        annotations = &(*service)["metadata"]["annotations"];
      }
      const std::string& key = facts.policy.publicExposure->ipAnnotation;
      if (annotations != nullptr && annotations->contains(key) && (*annotations)[key].is_string()) {
        std::string value = (*annotations)[key].get<std::string>();
        if (auto ip = IpAddress::parse(value.substr(0, value.find(',')))) return *ip;
      }
    }
  }
  const Json& status = facts.session.status;
  if (status.is_object() && status.contains("publicExposure") && status["publicExposure"].is_object()) {
    const Json& exposure = status["publicExposure"];
    if (exposure.contains("externalIP") && exposure["externalIP"].is_string()) {
      if (auto ip = IpAddress::parse(exposure["externalIP"].get<std::string>())) return *ip;
    }
  }
  return std::nullopt;
}

ExposureOutcome reconcileExposure(const SessionFacts& facts, ClusterClient& client, const ObjectCache& cache,
                                  IpamAllocator& ipam) {
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
  auto applied = client.apply(kube::resources::kServices,
                              serviceObject(facts, *facts.policy.publicExposure, *allocation));
  if (!applied) {
    ipam.abort(name);
    outcome.apiError = applied.error();
    return outcome;
  }
  ipam.commit(name);
  outcome.allocated = !before || *before != *allocation;
  outcome.status = exposureStatus(
      "Ready", "exposed on " + allocation->ip.str() + ": " + describePorts(*allocation), &*allocation);
  return outcome;
}

}  // namespace sessiongate::controller
