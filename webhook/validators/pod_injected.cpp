// checkInjectedParts: the gateway containers and the drive cannot be faked, swapped or entered. "Exactly as
// injected" is the mutator's own rendering (webhook/injected), compared here after dropping only what the
// API server itself adds to every container.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "core/json_fields.h"
#include "webhook/injected/injected_parts.h"
#include "webhook/validators/pod_rules.h"

namespace sessiongate::webhook {
namespace {

const FieldPath kSpec("spec");
const std::string kTokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

std::optional<std::string_view> metadataString(const Json& pod, const char* section, std::string_view key) {
  const Json* meta = memberOf(pod, "metadata");
  const Json* map = meta ? memberOf(*meta, section) : nullptr;
  const Json* v = map ? memberOf(*map, key) : nullptr;
  if (!v || !v->is_string()) return std::nullopt;
  return v->get_ref<const std::string&>();
}

// comparable is a container without what the API server adds to every container on its own: its defaults for
// terminationMessagePath/Policy and imagePullPolicy, the service account token mount (the ServiceAccount
// admission plugin runs again after webhooks change a pod), and resources (LimitRanger may add defaults;
// resources are bounded by the namespace's quota, not by this rule).
Json comparable(Json container) {
  if (stringOf(container, "terminationMessagePath") == "/dev/termination-log")
    container.erase("terminationMessagePath");
  if (stringOf(container, "terminationMessagePolicy") == "File") container.erase("terminationMessagePolicy");
  container.erase("imagePullPolicy");
  container.erase("resources");
  if (auto mounts = container.find("volumeMounts"); mounts != container.end() && mounts->is_array()) {
    Json kept = Json::array();
    for (const Json& m : *mounts) {
      bool token = stringOf(m, "mountPath") == kTokenMountPath && boolOf(m, "readOnly", false);
      if (!token) kept.push_back(m);
    }
    if (kept.empty()) {
      container.erase("volumeMounts");
    } else {
      *mounts = kept;
    }
  }
  return container;
}

// isDrive is true when volume is exactly drive (readOnly false and absent alike: the API server drops false).
bool isDrive(const Json& volume, const Json& drive) {
  auto normal = [](Json v) {
    const Json* nfs = memberOf(v, "nfs");
    if (nfs != nullptr && !boolOf(*nfs, "readOnly", true)) v["nfs"].erase("readOnly");
    return v;
  };
  return normal(volume) == normal(drive);
}

// differences names the top-level fields in which container differs from expected.
std::string differences(const Json& container, const Json& expected) {
  std::vector<std::string> fields;
  for (const auto& [key, value] : container.items()) {
    if (!expected.contains(key) || expected[key] != value) fields.push_back(key);
  }
  for (const auto& [key, value] : expected.items()) {
    if (!container.contains(key)) fields.push_back(key);
  }
  std::sort(fields.begin(), fields.end());
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ", ") + f;
  return out;
}

// GatewayContainers checks the containers of a pod against the session's gateway.
class GatewayContainers {
 public:
  GatewayContainers(const Gateway* gateway, InjectedPartsCheck& out) : gateway_(gateway), out_(out) {}

  void check(const Json& spec) {
    for (const char* list : kContainerLists) {
      const Json* containers = memberOf(spec, list);
      if (!containers || !containers->is_array()) continue;
      for (std::size_t i = 0; i < containers->size(); ++i) checkOne(list, i, (*containers)[i]);
    }
  }

 private:
  void checkOne(const std::string& list, std::size_t i, const Json& container) {
    const std::string name = stringOf(container, "name");
    const FieldPath path = kSpec.child(list).index(i);
    if (list == "ephemeralContainers") {
      std::string target = stringOf(container, "targetContainerName");
      if (looksLikeGatewayContainer(target)) {
        out_.errors.push_back(
            forbidden(path.child("targetContainerName"),
                      "ephemeral containers may not target the session's gateway container \"" + target +
                          "\"; target your own container"));
      }
    }
    const bool exactName = name == kGatewayInit || name == kGatewaySidecar;
    if (!looksLikeGatewayContainer(name)) return;
    out_.refused.insert({list, i});  // undone below when the container is exactly as injected
    if (!exactName || list == "ephemeralContainers") {
      out_.errors.push_back(
          forbidden(path.child("name"),
                    "the name \"" + name +
                        "\" takes the form of sessiongate's injected "
                        "gateway containers (gateway-init, gateway-sidecar); rename the container"));
      return;
    }
    if (!gateway_) {
      out_.errors.push_back(forbidden(
          path.child("name"), "this session's pods have no gateway, so no container may be named \"" + name +
                                  "\"; rename the container"));
      return;
    }
    const bool init = name == kGatewayInit;
    const bool native = gateway_->nativeSidecar;
    const std::string wantList = init || native ? "initContainers" : "containers";
    if (list != wantList) {
      out_.errors.push_back(
          forbidden(path.child("name"), "sessiongate injects \"" + name + "\" into spec." + wantList +
                                            " for gateway \"" + gateway_->name +
                                            "\"; remove this container and let the webhook add it"));
      return;
    }
    if (init && i != 0) {
      // Routing has to be in place before any other container of the pod runs.
      out_.errors.push_back(
          forbidden(path.child("name"),
                    "sessiongate injects \"gateway-init\" as the first init container; remove "
                    "this container and let the webhook add it"));
      return;
    }
    Json expected =
        comparable(gatewayContainer(*gateway_, init ? GatewayRole::Init : GatewayRole::Sidecar, native));
    Json actual = comparable(container);
    if (actual != expected) {
      out_.errors.push_back(forbidden(path, "container \"" + name +
                                                "\" is not exactly what sessiongate injects for "
                                                "gateway \"" +
                                                gateway_->name + "\" (it differs in " +
                                                differences(actual, expected) +
                                                "); remove it and let the webhook add it"));
      return;
    }
    out_.refused.erase({list, i});
    out_.exempt.containers.insert({list, i});
  }

  const Gateway* gateway_;
  InjectedPartsCheck& out_;
};

void checkApplicationContainer(const Json& spec, InjectedPartsCheck& out) {
  const Json* containers = memberOf(spec, "containers");
  if (!containers || !containers->is_array()) return;
  for (const Json& c : *containers) {
    if (!looksLikeGatewayContainer(stringOf(c, "name"))) return;
  }
  out.errors.push_back(required(kSpec.child("containers"),
                                "a session pod needs at least one container of its own besides the gateway"));
}

void checkVolumes(const Json& spec, const SessionContext& context, InjectedPartsCheck& out) {
  const Json* volumes = memberOf(spec, "volumes");
  if (!volumes || !volumes->is_array()) return;
  const bool storage = sessionHasStorage(*context.policy, *context.profile, *context.session);
  std::optional<Json> drive;
  if (storage) drive = driveVolume(*context.policy->storage, context.session->spec.user);
  for (std::size_t i = 0; i < volumes->size(); ++i) {
    const Json& volume = (*volumes)[i];
    const std::string name = stringOf(volume, "name");
    const FieldPath path = kSpec.child("volumes").index(i);
    if (drive && isDrive(volume, *drive)) {
      out.exempt.volumes.insert(i);
      continue;
    }
    if (looksLikeDriveVolume(name)) {
      std::string detail = "the name \"" + name + "\" is reserved for ";
      if (storage) {
        detail += "the session owner's drive (" + context.policy->storage->server + ":" +
                  drivePath(*context.policy->storage, context.session->spec.user) +
                  "), which sessiongate mounts itself; remove or rename this volume";
      } else {
        detail += "the personal drive, which this session does not have; rename the volume";
      }
      out.errors.push_back(forbidden(path.child("name"), detail));
    } else if (memberOf(volume, "nfs")) {
      out.errors.push_back(
          forbidden(path.child("nfs"),
                    "NFS volumes are not allowed in session pods; your own drive is mounted by "
                    "sessiongate when the session has storage"));
    }
  }
}

void checkDns(const Json& spec, const Gateway* gateway, InjectedPartsCheck& out) {
  if (!gateway) return;
  const Json* servers = nullptr;
  if (const Json* dnsConfig = memberOf(spec, "dnsConfig")) servers = memberOf(*dnsConfig, "nameservers");
  if (servers && servers->is_array()) {
    for (std::size_t i = 0; i < servers->size(); ++i) {
      std::string server =
          (*servers)[i].is_string() ? (*servers)[i].get<std::string>() : (*servers)[i].dump();
      if (std::find(gateway->dnsServers.begin(), gateway->dnsServers.end(), server) !=
          gateway->dnsServers.end())
        continue;
      std::string allowed;
      for (const auto& s : gateway->dnsServers) allowed += (allowed.empty() ? "" : ", ") + s;
      out.errors.push_back(forbidden(
          kSpec.child("dnsConfig").child("nameservers").index(i),
          "nameserver " + server +
              " is not the gateway's; name lookups go through "
              "gateway \"" +
              gateway->name + "\"" +
              (allowed.empty() ? std::string(" (cluster DNS)") : " (" + allowed + ")") + "; remove it"));
    }
  }
  std::string policy = stringOf(spec, "dnsPolicy");
  if (!gateway->dnsServers.empty() && !policy.empty() && policy != "None") {
    out.errors.push_back(forbidden(kSpec.child("dnsPolicy"),
                                   "dnsPolicy \"" + policy + "\" would bypass the nameservers of gateway \"" +
                                       gateway->name + "\"; remove dnsPolicy (the webhook sets None)"));
  }
  const Json* share = memberOf(spec, "shareProcessNamespace");
  if (share && share->is_boolean() && share->get<bool>()) {
    out.errors.push_back(forbidden(kSpec.child("shareProcessNamespace"),
                                   "sharing the process namespace would expose the gateway containers to the "
                                   "pod's other containers; remove shareProcessNamespace"));
  }
}

// lowerHost is a host name lowercased, without a trailing dot.
std::string lowerHost(std::string host) {
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

// checkGatewayName refuses what would make the gateway containers resolve the gateway's address elsewhere:
// /etc/hosts entries (hostAliases reach every container of the pod, the gateway's too) naming it, and an
// ndots option, which sends even the gateway's full name through the pod's own search domains first.
void checkGatewayName(const Json& spec, const Gateway* gateway, InjectedPartsCheck& out) {
  if (!gateway) return;
  const std::string address = lowerHost(gateway->address);
  const Json* aliases = memberOf(spec, "hostAliases");
  for (std::size_t i = 0; aliases && aliases->is_array() && i < aliases->size(); ++i) {
    const Json* names = memberOf((*aliases)[i], "hostnames");
    for (std::size_t j = 0; names && names->is_array() && j < names->size(); ++j) {
      if (!(*names)[j].is_string() || lowerHost((*names)[j].get<std::string>()) != address) continue;
      out.errors.push_back(forbidden(kSpec.child("hostAliases").index(i).child("hostnames").index(j),
                                     "the address of gateway \"" + gateway->name +
                                         "\" cannot be redefined in the pod; remove this host name"));
    }
  }
  const Json* dnsConfig = memberOf(spec, "dnsConfig");
  const Json* options = dnsConfig ? memberOf(*dnsConfig, "options") : nullptr;
  for (std::size_t i = 0; options && options->is_array() && i < options->size(); ++i) {
    if (stringOf((*options)[i], "name") != "ndots") continue;
    out.errors.push_back(
        forbidden(kSpec.child("dnsConfig").child("options").index(i),
                  "the ndots option would resolve the gateway's name through the pod's search "
                  "domains; remove it"));
  }
}

}  // namespace

InjectedPartsCheck checkInjectedParts(const Json& pod, const SessionContext& context) {
  InjectedPartsCheck out;
  const Json* spec = memberOf(pod, "spec");
  if (!spec || !spec->is_object()) return out;
  const Gateway* gateway = chosenGateway(*context.policy, *context.profile, *context.session,
                                         metadataString(pod, "labels", kGatewayKey),
                                         metadataString(pod, "annotations", kGatewayKey));
  GatewayContainers(gateway, out).check(*spec);
  checkApplicationContainer(*spec, out);
  checkVolumes(*spec, context, out);
  checkDns(*spec, gateway, out);
  checkGatewayName(*spec, gateway, out);
  return out;
}

}  // namespace sessiongate::webhook
