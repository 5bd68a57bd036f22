#include "webhook/mutators/pod_reader.h"

#include "webhook/admission/dom.h"
#include "webhook/admission/session_context.h"
#include "webhook/injected/injected_parts.h"

namespace sessiongate::webhook {
namespace {

using simdjson::dom::element;

std::optional<std::string_view> stringAt(std::optional<element> map, std::string_view key) {
  if (!map) return std::nullopt;
  auto value = member(*map, key);
  std::string_view text;
  if (!value || value->get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
  return text;
}

bool namedEntryExists(std::optional<element> list, std::string_view name) {
  if (!list || !isArray(*list)) return false;
  for (element entry : simdjson::dom::array(*list)) {
    if (stringMember(entry, "name") == name) return true;
  }
  return false;
}

bool nonEmptyObject(std::optional<element> e) {
  return e && isObject(*e) && simdjson::dom::object(*e).size() > 0;
}

ContainerFacts readContainer(element container) {
  ContainerFacts facts;
  facts.name = stringMember(container, "name");
  if (auto resources = member(container, "resources")) {
    facts.resourcesMember = true;
    facts.resourcesObject = isObject(*resources);
    auto requests = member(*resources, "requests");
    auto limits = member(*resources, "limits");
    facts.requestsMember = requests.has_value();
    facts.limitsMember = limits.has_value();
    facts.hasResources = nonEmptyObject(requests) || nonEmptyObject(limits);
  }
  auto mounts = member(container, "volumeMounts");
  facts.hasVolumeMounts = mounts && isArray(*mounts);
  facts.mountsDrive = namedEntryExists(mounts, kDriveVolume);
  return facts;
}

std::vector<ContainerFacts> readContainers(std::optional<element> list) {
  std::vector<ContainerFacts> out;
  if (!list || !isArray(*list)) return out;
  for (element container : simdjson::dom::array(*list)) out.push_back(readContainer(container));
  return out;
}

}  // namespace

PodFacts readPod(element pod) {
  PodFacts facts;
  auto labels = memberAt(pod, {"metadata", "labels"});
  facts.hasLabels = labels && isObject(*labels);
  facts.sessionLabel = stringAt(labels, kSessionLabel);
  facts.userLabel = stringAt(labels, kUserLabel);
  facts.gatewayLabel = stringAt(labels, kGatewayKey);
  facts.gatewayAnnotation = stringAt(memberAt(pod, {"metadata", "annotations"}), kGatewayKey);

  auto spec = member(pod, "spec");
  if (!spec) return facts;
  facts.containers = readContainers(member(*spec, "containers"));
  auto init = member(*spec, "initContainers");
  facts.hasInitContainers = init && isArray(*init);
  facts.initContainers = readContainers(init);
  auto volumes = member(*spec, "volumes");
  facts.hasVolumes = volumes && isArray(*volumes);
  facts.hasDriveVolume = namedEntryExists(volumes, kDriveVolume);
  auto dnsConfig = member(*spec, "dnsConfig");
  facts.hasDnsConfig = dnsConfig && isObject(*dnsConfig);
  if (facts.hasDnsConfig) {
    auto servers = member(*dnsConfig, "nameservers");
    facts.hasNameservers = servers && isArray(*servers);
    if (facts.hasNameservers) {
      for (element server : simdjson::dom::array(*servers)) {
        std::string_view text;
        if (server.get_string().get(text) == simdjson::SUCCESS) facts.nameservers.push_back(text);
      }
    }
  }
  facts.dnsPolicy = stringAt(spec, "dnsPolicy");
  return facts;
}

}  // namespace sessiongate::webhook
