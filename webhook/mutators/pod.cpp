#include <algorithm>

#include "core/json_patch.h"
#include "core/label_value.h"
#include "webhook/admission/session_context.h"
#include "webhook/injected/injected_parts.h"
#include "webhook/mutators/mutators.h"
#include "webhook/mutators/patch_writer.h"
#include "webhook/mutators/pod_reader.h"
#include "webhook/mutators/pod_shape.h"
#include "webhook/mutators/rendered_values.h"

namespace sessiongate::webhook {
namespace {

// MutationInput is everything the patch is computed from.
struct MutationInput {
  const PodFacts& pod;
  const SessionContext& context;
  const RenderedValues& rendered;
  const Gateway* gateway;        // null: no gateway
  const GatewayTexts* texts;     // the gateway's rendered values, null without a gateway
  const StorageConfig* storage;  // null: no storage
};

int indexOf(const std::vector<ContainerFacts>& containers, std::string_view name) {
  for (std::size_t i = 0; i < containers.size(); ++i) {
    if (containers[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

void addLabels(const MutationInput& in, PatchWriter& patch) {
  const std::string& session = in.context.session->name;
  const std::string& user = in.context.session->spec.user;
  if (!in.pod.hasLabels) {
    std::string labels = "{" + jsonString(kSessionLabel) + ":" + jsonString(session) + "," + jsonString(kUserLabel) +
                         ":" + jsonString(toLabelValue(user)) + "}";
    patch.add("/metadata/labels", labels);
    return;
  }
  auto setLabel = [&](std::optional<std::string_view> current, std::string_view key,
                      const std::string& value) {
    if (current == value) return;
    patch.set(current.has_value(), pointer("metadata", "labels", key), jsonString(value));
  };
  setLabel(in.pod.sessionLabel, kSessionLabel, session);
  setLabel(in.pod.userLabel, kUserLabel, toLabelValue(user));
}

void addStorageVolume(const MutationInput& in, PatchWriter& patch) {
  if (!in.storage || in.pod.hasDriveVolume) return;
  std::string volume = driveVolume(*in.storage, in.context.session->spec.user).dump();
  if (in.pod.hasVolumes) {
    patch.add("/spec/volumes/-", volume);
  } else {
    patch.add("/spec/volumes", "[" + volume + "]");
  }
}

// setDefaultResources gives a container that sets neither requests nor limits the profile's: the whole
// resources object when there is none, else only its requests and limits, so that what the mutation does
// not own (claims, and any member a newer API adds) survives.
void setDefaultResources(const ContainerFacts& c, std::size_t i, const ProfileResources& resources,
                         PatchWriter& patch) {
  if (c.hasResources || resources.whole.empty()) return;
  if (!c.resourcesObject) {
    patch.set(c.resourcesMember, pointer("spec", "containers", i, "resources"), resources.whole);
    return;
  }
  if (!resources.requests.empty()) {
    patch.set(c.requestsMember, pointer("spec", "containers", i, "resources", "requests"), resources.requests);
  }
  if (!resources.limits.empty()) {
    patch.set(c.limitsMember, pointer("spec", "containers", i, "resources", "limits"), resources.limits);
  }
}

// completeApplicationContainers mounts the drive and sets default resources in every container but the
// gateway sidecar.
void completeApplicationContainers(const MutationInput& in, PatchWriter& patch) {
  const ProfileResources& resources = in.rendered.resources(in.context.profile->name);
  const std::string& mount = in.rendered.mount();
  for (std::size_t i = 0; i < in.pod.containers.size(); ++i) {
    const ContainerFacts& c = in.pod.containers[i];
    if (c.name == kGatewaySidecar) continue;
    if (in.storage && !c.mountsDrive) {
      if (c.hasVolumeMounts) {
        patch.add(pointer("spec", "containers", i, "volumeMounts", "-"), mount);
      } else {
        patch.add(pointer("spec", "containers", i, "volumeMounts"), "[" + mount + "]");
      }
    }
    setDefaultResources(c, i, resources, patch);
  }
}

void addGatewayContainers(const MutationInput& in, PatchWriter& patch) {
  if (!in.gateway) return;
  const PodFacts& pod = in.pod;
  const bool native = in.gateway->nativeSidecar;
  bool hasSidecar =
      indexOf(pod.initContainers, kGatewaySidecar) >= 0 || indexOf(pod.containers, kGatewaySidecar) >= 0;
  int initAt = indexOf(pod.initContainers, kGatewayInit);
  bool addInit = initAt < 0;
  bool addNativeSidecar = !hasSidecar && native;
  if (!pod.hasInitContainers && (addInit || addNativeSidecar)) {
    std::string list = "[";
    if (addInit) list += in.texts->init;
    if (addNativeSidecar) list += (addInit ? "," : "") + in.texts->nativeSidecar;
    patch.add("/spec/initContainers", list + "]");
  } else {
    // gateway-init goes first so that routing is in place before any other init container runs.
    if (addInit) patch.add("/spec/initContainers/0", in.texts->init);
    std::size_t after = addInit ? 1 : static_cast<std::size_t>(initAt) + 1;
    if (addNativeSidecar) patch.add(pointer("spec", "initContainers", after), in.texts->nativeSidecar);
  }
  if (!hasSidecar && !native) patch.add("/spec/containers/-", in.texts->sidecar);
}

void addDns(const MutationInput& in, PatchWriter& patch) {
  if (!in.gateway || in.gateway->dnsServers.empty()) return;
  const PodFacts& pod = in.pod;
  if (!pod.hasDnsConfig) {
    patch.add("/spec/dnsConfig", "{\"nameservers\":" + in.texts->nameservers + "}");
  } else if (!pod.hasNameservers) {
    patch.add("/spec/dnsConfig/nameservers", in.texts->nameservers);
  } else {
    for (const auto& server : in.gateway->dnsServers) {
      if (std::find(pod.nameservers.begin(), pod.nameservers.end(), server) == pod.nameservers.end()) {
        patch.add("/spec/dnsConfig/nameservers/-", jsonString(server));
      }
    }
  }
  if (pod.dnsPolicy != "None") patch.set(pod.dnsPolicy.has_value(), "/spec/dnsPolicy", "\"None\"");
}

}  // namespace

Decision mutatePod(const AdmissionRequest& request, const ClusterView& view) {
  if (request.operation != "CREATE" || !request.subResource.empty()) return allowed();
  SessionLookup lookup = lookupSession(view, request.namespace_);
  if (!lookup.sessionNamespace) return allowed();
  if (!lookup.error.empty()) return refusal(lookup);
  const SessionContext& context = lookup.context;
  if (FieldErrors errors = podShapeErrors(*request.object); !errors.empty()) return denied(errors);
  const RenderedValues& rendered = RenderedValues::forPolicy(context.policy);
  PodFacts pod = readPod(*request.object);
  const Gateway* gateway = chosenGateway(*context.policy, *context.profile, *context.session, pod.gatewayLabel,
                                         pod.gatewayAnnotation);
  bool storage = sessionHasStorage(*context.policy, *context.profile, *context.session);
  MutationInput in{pod,
                   context,
                   rendered,
                   gateway,
                   gateway ? rendered.gateway(gateway->name) : nullptr,
                   storage ? &*context.policy->storage : nullptr};

  PatchWriter patch;
  addLabels(in, patch);
  addStorageVolume(in, patch);
  completeApplicationContainers(in, patch);
  addGatewayContainers(in, patch);
  addDns(in, patch);
  return patchedText(std::move(patch).text());
}

}  // namespace sessiongate::webhook
