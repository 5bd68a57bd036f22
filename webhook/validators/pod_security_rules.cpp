#include "webhook/validators/pod_security_rules.h"

namespace sessiongate::webhook::pss {
namespace {

const std::set<std::string, std::less<>> kBaselineCapabilities{
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",      "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT"};

const std::set<std::string, std::less<>> kSELinuxTypes{"container_t", "container_init_t", "container_kvm_t",
                                                       "container_engine_t"};

const std::string kBaselineCapabilityList =
    "AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, "
    "SETPCAP, "
    "SETUID, SYS_CHROOT";

bool allowedProfileType(std::string_view type) {
  return type == "RuntimeDefault" || type == "Localhost";
}

void profileType(const Json* context, const FieldPath& path, const char* field, const char* what,
                 FieldErrors& errors) {
  const Json* profile = context ? memberOf(*context, field) : nullptr;
  if (!profile) return;
  std::string type = text(memberOf(*profile, "type"));
  if (allowedProfileType(type)) return;
  errors.push_back(forbidden(path.child(field).child("type"),
                             std::string(what) + " profile type \"" + type + "\" is not allowed " +
                                 standard(PodSecurityLevel::Baseline) +
                                 "; use RuntimeDefault or Localhost, or remove it"));
}

void seLinux(const Json* context, const FieldPath& path, FieldErrors& errors) {
  const Json* options = context ? memberOf(*context, "seLinuxOptions") : nullptr;
  if (!options) return;
  const FieldPath base = path.child("seLinuxOptions");
  std::string type = text(memberOf(*options, "type"));
  if (!type.empty() && !kSELinuxTypes.count(type)) {
    errors.push_back(forbidden(base.child("type"), "SELinux type \"" + type + "\" is not allowed " +
                                                       standard(PodSecurityLevel::Baseline) +
                                                       "; use container_t, container_init_t, container_kvm_t "
                                                       "or container_engine_t, or remove it"));
  }
  for (const char* field : {"user", "role"}) {
    if (!text(memberOf(*options, field)).empty()) {
      errors.push_back(
          forbidden(base.child(field), std::string("setting the SELinux ") + field + " is not allowed " +
                                           standard(PodSecurityLevel::Baseline) + "; remove it"));
    }
  }
}

void hostProcess(const Json* context, const FieldPath& path, FieldErrors& errors) {
  if (!context || !isTrue(getPath(*context, {"windowsOptions", "hostProcess"}))) return;
  errors.push_back(forbidden(path.child("windowsOptions").child("hostProcess"),
                             "Windows host processes are not allowed " +
                                 standard(PodSecurityLevel::Baseline) +
                                 "; remove hostProcess or set it to false"));
}

void hostPorts(const ContainerVisit& c, FieldErrors& errors) {
  const Json* ports = memberOf(*c.container, "ports");
  if (!ports || !ports->is_array()) return;
  for (std::size_t i = 0; i < ports->size(); ++i) {
    const Json* hostPort = memberOf((*ports)[i], "hostPort");
    if (!hostPort || *hostPort == 0) continue;
    errors.push_back(forbidden(c.path.child("ports").index(i).child("hostPort"),
                               "host ports are not allowed " + standard(PodSecurityLevel::Baseline) +
                                   "; remove hostPort and ask for public exposure in the UserSession's "
                                   "spec.publicExposure instead"));
  }
}

void probeHosts(const ContainerVisit& c, FieldErrors& errors) {
  auto check = [&](const Json* handler, const FieldPath& path) {
    if (!handler) return;
    for (const char* kind : {"httpGet", "tcpSocket"}) {
      const Json* action = memberOf(*handler, kind);
      if (action && !text(memberOf(*action, "host")).empty()) {
        errors.push_back(
            forbidden(path.child(kind).child("host"), "probes and lifecycle handlers may not name a host " +
                                                          standard(PodSecurityLevel::Baseline) +
                                                          "; remove host (the pod's IP is used)"));
      }
    }
  };
  for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
    check(memberOf(*c.container, probe), c.path.child(probe));
  }
  if (const Json* lifecycle = memberOf(*c.container, "lifecycle")) {
    for (const char* hook : {"postStart", "preStop"}) {
      check(memberOf(*lifecycle, hook), c.path.child("lifecycle").child(hook));
    }
  }
}

const Json* capabilityList(const ContainerVisit& c, const char* which) {
  const Json* list = c.securityContext ? getPath(*c.securityContext, {"capabilities", which}) : nullptr;
  return list && list->is_array() ? list : nullptr;
}

}  // namespace

const Json* getPath(const Json& obj, std::initializer_list<std::string_view> keys) {
  const Json* at = &obj;
  for (std::string_view key : keys) {
    at = memberOf(*at, key);
    if (!at) return nullptr;
  }
  return at;
}

bool isTrue(const Json* value) {
  return value && value->is_boolean() && value->get<bool>();
}

std::string text(const Json* value) {
  if (!value) return {};
  return value->is_string() ? value->get<std::string>() : value->dump();
}

std::string standard(PodSecurityLevel level) {
  return std::string("(Pod Security Standard \"") + podSecurityName(level) + "\")";
}

std::vector<ContainerVisit> visitContainers(const Json& spec, const std::set<ContainerRef>& exempt) {
  std::vector<ContainerVisit> out;
  for (const char* list : kContainerLists) {
    const Json* containers = memberOf(spec, list);
    if (!containers || !containers->is_array()) continue;
    for (std::size_t i = 0; i < containers->size(); ++i) {
      if (exempt.count({list, i})) continue;
      const Json& c = (*containers)[i];
      const Json* context = memberOf(c, "securityContext");
      out.push_back(
          {FieldPath("spec").child(list).index(i), &c, context && context->is_object() ? context : nullptr});
    }
  }
  return out;
}

void baselineSecurityContext(const Json* context, const FieldPath& path, FieldErrors& errors) {
  profileType(context, path, "seccompProfile", "seccomp", errors);
  profileType(context, path, "appArmorProfile", "AppArmor", errors);
  seLinux(context, path, errors);
  hostProcess(context, path, errors);
}

void baselineContainer(const ContainerVisit& c, FieldErrors& errors) {
  const FieldPath context = c.path.child("securityContext");
  if (c.securityContext && isTrue(memberOf(*c.securityContext, "privileged"))) {
    errors.push_back(forbidden(context.child("privileged"), "privileged containers are not allowed " +
                                                                standard(PodSecurityLevel::Baseline) +
                                                                "; remove privileged or set it to false"));
  }
  if (const Json* add = capabilityList(c, "add")) {
    for (std::size_t i = 0; i < add->size(); ++i) {
      std::string cap = text(&(*add)[i]);
      if (kBaselineCapabilities.count(cap)) continue;
      errors.push_back(forbidden(
          context.child("capabilities").child("add").index(i),
          "adding capability \"" + cap + "\" is not allowed " + standard(PodSecurityLevel::Baseline) +
              "; remove it (only these may be added: " + kBaselineCapabilityList + ")"));
    }
  }
  if (c.securityContext) {
    std::string procMount = text(memberOf(*c.securityContext, "procMount"));
    if (!procMount.empty() && procMount != "Default") {
      errors.push_back(forbidden(context.child("procMount"), "procMount \"" + procMount +
                                                                 "\" is not allowed " +
                                                                 standard(PodSecurityLevel::Baseline) +
                                                                 "; remove it or set it to Default"));
    }
  }
  baselineSecurityContext(c.securityContext, context, errors);
  hostPorts(c, errors);
  probeHosts(c, errors);
}

void restrictedPodAndContainers(const Json* podContext, const FieldPath& podPath,
                                const std::vector<ContainerVisit>& containers, FieldErrors& errors) {
  const std::string restricted = standard(PodSecurityLevel::Restricted);
  const Json* podNonRoot = podContext ? memberOf(*podContext, "runAsNonRoot") : nullptr;
  if (podNonRoot && !isTrue(podNonRoot)) {
    errors.push_back(forbidden(podPath.child("runAsNonRoot"),
                               "runAsNonRoot=false is not allowed " + restricted + "; set it to true"));
  }
  const Json* podUser = podContext ? memberOf(*podContext, "runAsUser") : nullptr;
  if (podUser && *podUser == 0) {
    errors.push_back(forbidden(podPath.child("runAsUser"), "running as user 0 (root) is not allowed " +
                                                               restricted + "; use a non-zero UID"));
  }
  const Json* podSeccomp = podContext ? getPath(*podContext, {"seccompProfile", "type"}) : nullptr;
  const bool podSeccompSet = podSeccomp && allowedProfileType(text(podSeccomp));

  for (const ContainerVisit& c : containers) {
    const FieldPath context = c.path.child("securityContext");
    const Json* sc = c.securityContext;
    const Json* nonRoot = sc ? memberOf(*sc, "runAsNonRoot") : nullptr;
    if (nonRoot && !isTrue(nonRoot)) {
      errors.push_back(forbidden(context.child("runAsNonRoot"),
                                 "runAsNonRoot=false is not allowed " + restricted + "; set it to true"));
    } else if (!nonRoot && !isTrue(podNonRoot)) {
      errors.push_back(
          required(context.child("runAsNonRoot"),
                   "must be true " + restricted +
                       "; set it here, or spec.securityContext.runAsNonRoot for every container"));
    }
    const Json* user = sc ? memberOf(*sc, "runAsUser") : nullptr;
    if (user && *user == 0) {
      errors.push_back(forbidden(context.child("runAsUser"), "running as user 0 (root) is not allowed " +
                                                                 restricted + "; use a non-zero UID"));
    }
    const Json* escalation = sc ? memberOf(*sc, "allowPrivilegeEscalation") : nullptr;
    if (!escalation || !escalation->is_boolean() || escalation->get<bool>()) {
      errors.push_back(required(context.child("allowPrivilegeEscalation"),
                                "must be false " + restricted + "; set allowPrivilegeEscalation: false"));
    }
    const Json* drop = capabilityList(c, "drop");
    bool dropsAll = drop && std::any_of(drop->begin(), drop->end(), [](const Json& v) { return v == "ALL"; });
    if (!dropsAll) {
      errors.push_back(required(context.child("capabilities").child("drop"),
                                "must include \"ALL\" " + restricted + "; set capabilities.drop: [ALL]"));
    }
    if (const Json* add = capabilityList(c, "add")) {
      for (std::size_t i = 0; i < add->size(); ++i) {
        std::string cap = text(&(*add)[i]);
        // Capabilities outside baseline's list are reported by the baseline check already.
        if (cap == "NET_BIND_SERVICE" || !kBaselineCapabilities.count(cap)) continue;
        errors.push_back(forbidden(context.child("capabilities").child("add").index(i),
                                   "adding capability \"" + cap + "\" is not allowed " + restricted +
                                       "; only NET_BIND_SERVICE may be added"));
      }
    }
    if (!podSeccompSet && !(sc && memberOf(*sc, "seccompProfile"))) {
      errors.push_back(required(context.child("seccompProfile").child("type"),
                                "must be RuntimeDefault or Localhost " + restricted +
                                    "; set it here, or spec.securityContext.seccompProfile.type for every "
                                    "container"));
    }
  }
}

}  // namespace sessiongate::webhook::pss
