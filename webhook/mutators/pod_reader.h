#pragma once
// PodFacts is the little the pod mutator reads of a pod, taken straight from the simdjson DOM of the review
// (string views into it), so the hot path neither copies nor fully converts the pod.
#include <simdjson.h>

#include <optional>
#include <string_view>
#include <vector>

namespace sessiongate::webhook {

// ContainerFacts is what the mutator reads of one container.
struct ContainerFacts {
  std::string_view name;
  bool hasResources = false;     // resources sets requests or limits
  bool resourcesMember = false;  // a resources member exists (possibly {} or null)
  bool resourcesObject = false;  // resources is an object, whose other members (claims, ...) are kept
  bool requestsMember = false;   // resources.requests exists (possibly {})
  bool limitsMember = false;     // resources.limits exists (possibly {})
  bool hasVolumeMounts = false;
  bool mountsDrive = false;  // a volumeMount named mydrive exists
};

// PodFacts is what the mutator reads of a pod.
struct PodFacts {
  bool hasLabels = false;
  std::optional<std::string_view> sessionLabel;
  std::optional<std::string_view> userLabel;
  std::optional<std::string_view> gatewayLabel;
  std::optional<std::string_view> gatewayAnnotation;
  std::vector<ContainerFacts> containers;
  bool hasInitContainers = false;
  std::vector<ContainerFacts> initContainers;
  bool hasVolumes = false;
  bool hasDriveVolume = false;
  bool hasDnsConfig = false;
  bool hasNameservers = false;
  std::vector<std::string_view> nameservers;
  std::optional<std::string_view> dnsPolicy;
};

// readPod extracts PodFacts from a pod object; views stay valid as long as the DOM does.
PodFacts readPod(simdjson::dom::element pod);

}  // namespace sessiongate::webhook
