// The Pod Security Standards as plain checks over a pod's JSON. The rules and allowed values follow
// kubernetes/pod-security-admission (policy/check_*.go); the messages are per field, as the API server words
// field errors, and say what to change.
#include "webhook/validators/pod_security.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "webhook/validators/pod_security_rules.h"

namespace sessiongate::webhook {
namespace {

using pss::ContainerVisit;
using pss::isTrue;
using pss::standard;

const std::set<std::string, std::less<>> kSafeSysctls{"kernel.shm_rmid_forced",
                                                      "net.ipv4.ip_local_port_range",
                                                      "net.ipv4.tcp_syncookies",
                                                      "net.ipv4.ping_group_range",
                                                      "net.ipv4.ip_unprivileged_port_start",
                                                      "net.ipv4.ip_local_reserved_ports",
                                                      "net.ipv4.tcp_keepalive_time",
                                                      "net.ipv4.tcp_fin_timeout",
                                                      "net.ipv4.tcp_keepalive_intvl",
                                                      "net.ipv4.tcp_keepalive_probes",
                                                      "net.ipv4.tcp_rmem",
                                                      "net.ipv4.tcp_wmem",
                                                      "net.ipv4.tcp_slow_start_after_idle",
                                                      "net.ipv4.tcp_notsent_lowat"};

const std::set<std::string, std::less<>> kRestrictedVolumeTypes{
    "configMap", "csi",   "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim",
    "projected", "secret"};

constexpr std::string_view kSeccompPodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
constexpr std::string_view kSeccompContainerAnnotation = "container.seccomp.security.alpha.kubernetes.io/";
constexpr std::string_view kAppArmorAnnotation = "container.apparmor.security.beta.kubernetes.io/";

std::string joined(const std::set<std::string, std::less<>>& names) {
  std::string out;
  for (const auto& n : names) {
    if (n.empty()) continue;
    out += (out.empty() ? "" : ", ") + n;
  }
  return out;
}

const FieldPath kSpec("spec");
const FieldPath kPodSecurityContext = kSpec.child("securityContext");

// ---------------------------------------------------------------- baseline, pod level

void hostNamespaces(const Json& spec, FieldErrors& errors) {
  for (const char* field : {"hostNetwork", "hostPID", "hostIPC"}) {
    if (isTrue(memberOf(spec, field))) {
      errors.push_back(forbidden(kSpec.child(field), "sharing the host's namespaces is not allowed " +
                                                         standard(PodSecurityLevel::Baseline) + "; remove " +
                                                         field + " or set it to false"));
    }
  }
}

void hostPathVolumes(const Json& spec, FieldErrors& errors) {
  const Json* volumes = memberOf(spec, "volumes");
  if (!volumes || !volumes->is_array()) return;
  for (std::size_t i = 0; i < volumes->size(); ++i) {
    if (memberOf((*volumes)[i], "hostPath")) {
      errors.push_back(forbidden(kSpec.child("volumes").index(i).child("hostPath"),
                                 "hostPath volumes are not allowed " + standard(PodSecurityLevel::Baseline) +
                                     "; use an emptyDir, configMap, secret or persistentVolumeClaim volume"));
    }
  }
}

void sysctls(const Json* podContext, FieldErrors& errors) {
  const Json* list = podContext ? memberOf(*podContext, "sysctls") : nullptr;
  if (!list || !list->is_array()) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string name = pss::text(memberOf((*list)[i], "name"));
    if (kSafeSysctls.count(name)) continue;
    errors.push_back(forbidden(kPodSecurityContext.child("sysctls").index(i).child("name"),
                               "sysctl \"" + name + "\" is not allowed " +
                                   standard(PodSecurityLevel::Baseline) +
                                   "; only these are: " + joined(kSafeSysctls)));
  }
}

bool allowedSeccompAnnotation(std::string_view v) {
  return v == "runtime/default" || v == "docker/default" || v.rfind("localhost/", 0) == 0;
}

bool allowedAppArmorAnnotation(std::string_view v) {
  return v.empty() || v == "runtime/default" || v.rfind("localhost/", 0) == 0;
}

// annotations checks the seccomp and AppArmor annotations of the pod and of every container, the exempt ones
// included: the mutator injects no annotation, so one that unconfines a gateway container is not "as
// injected".
void annotations(const Json& pod, FieldErrors& errors) {
  const Json* map = pss::getPath(pod, {"metadata", "annotations"});
  if (!map || !map->is_object()) return;
  const FieldPath path = FieldPath("metadata").child("annotations");
  for (const auto& [key, value] : map->items()) {
    std::string v = value.is_string() ? value.get<std::string>() : value.dump();
    std::string_view k = key;
    bool seccompPod = k == kSeccompPodAnnotation;
    bool seccompContainer = k.rfind(kSeccompContainerAnnotation, 0) == 0;
    bool apparmor = k.rfind(kAppArmorAnnotation, 0) == 0;
    if ((seccompPod || seccompContainer) && !allowedSeccompAnnotation(v)) {
      errors.push_back(
          forbidden(path.key(key), "seccomp profile \"" + v + "\" is not allowed " +
                                       standard(PodSecurityLevel::Baseline) +
                                       "; use runtime/default or localhost/<profile>, or remove it"));
    } else if (apparmor && !allowedAppArmorAnnotation(v)) {
      errors.push_back(
          forbidden(path.key(key), "AppArmor profile \"" + v + "\" is not allowed " +
                                       standard(PodSecurityLevel::Baseline) +
                                       "; use runtime/default or localhost/<profile>, or remove it"));
    }
  }
}

// ---------------------------------------------------------------- restricted, pod level

void restrictedVolumes(const Json& spec, const std::set<std::size_t>& exempt, FieldErrors& errors) {
  const Json* volumes = memberOf(spec, "volumes");
  if (!volumes || !volumes->is_array()) return;
  for (std::size_t i = 0; i < volumes->size(); ++i) {
    if (exempt.count(i) || !(*volumes)[i].is_object()) continue;
    for (const auto& [key, value] : (*volumes)[i].items()) {
      if (key == "name" || kRestrictedVolumeTypes.count(key) || key == "hostPath") continue;
      errors.push_back(forbidden(kSpec.child("volumes").index(i).child(key),
                                 key + " volumes are not allowed " + standard(PodSecurityLevel::Restricted) +
                                     "; use one of: " + joined(kRestrictedVolumeTypes)));
    }
  }
}

}  // namespace

FieldErrors checkPodSecurity(const Json& pod, PodSecurityLevel level, const PodSecurityExemptions& exempt) {
  FieldErrors errors;
  const Json* specPtr = memberOf(pod, "spec");
  if (!specPtr || !specPtr->is_object()) return errors;
  const Json& spec = *specPtr;
  const Json* podContext = memberOf(spec, "securityContext");
  if (podContext && !podContext->is_object()) podContext = nullptr;

  std::vector<ContainerVisit> containers = pss::visitContainers(spec, exempt.containers);

  hostNamespaces(spec, errors);
  hostPathVolumes(spec, errors);
  sysctls(podContext, errors);
  annotations(pod, errors);
  pss::baselineSecurityContext(podContext, kPodSecurityContext, errors);
  for (const ContainerVisit& c : containers) pss::baselineContainer(c, errors);

  if (level == PodSecurityLevel::Restricted) {
    restrictedVolumes(spec, exempt.volumes, errors);
    pss::restrictedPodAndContainers(podContext, kPodSecurityContext, containers, errors);
  }
  return errors;
}

}  // namespace sessiongate::webhook
