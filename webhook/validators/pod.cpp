// validatePod: every rule of a pod in a session namespace, on CREATE, UPDATE and the ephemeralcontainers
// subresource (whose object is the whole Pod). The rules themselves are in pod_*.cpp.
#include <algorithm>

#include "webhook/admission/dom.h"
#include "webhook/admission/session_context.h"
#include "webhook/validators/pod_rules.h"
#include "webhook/validators/pod_security.h"
#include "webhook/validators/validators.h"

namespace sessiongate::webhook {
namespace {

// checkGatewayKey checks metadata.<section>[sessiongate.io/gateway] when the pod sets it.
void checkGatewayKey(simdjson::dom::element pod, std::string_view section, const Profile& profile,
                     FieldErrors& errors) {
  auto map = memberAt(pod, {"metadata", section});
  if (!map) return;
  auto value = member(*map, kGatewayKey);
  if (!value) return;
  std::string_view text;
  FieldPath path = FieldPath("metadata").child(section).key(kGatewayKey);
  if (value->get_string().get(text) != simdjson::SUCCESS) {
    errors.push_back(invalid(path, toJson(*value), "must be a string naming a gateway"));
    return;
  }
  std::string name(text);
  if (name == "none" && profile.allowNoGateway) return;
  if (std::find(profile.gateways.begin(), profile.gateways.end(), name) != profile.gateways.end()) return;
  std::vector<std::string> supported = profile.gateways;
  if (profile.allowNoGateway) supported.push_back("none");
  errors.push_back(notSupported(path, name, supported));
}

void append(FieldErrors& to, FieldErrors from) {
  for (auto& e : from) to.push_back(std::move(e));
}

// withoutRepeats drops an error whose field is one an earlier error already refused, or lies below it: a
// container refused as a changed gateway container need not also be refused as not exactly injected.
FieldErrors withoutRepeats(FieldErrors errors) {
  FieldErrors out;
  for (auto& e : errors) {
    bool covered = std::any_of(out.begin(), out.end(), [&](const FieldError& earlier) {
      const std::string& f = earlier.field;
      return e.field.compare(0, f.size(), f) == 0 &&
             (e.field.size() == f.size() || e.field[f.size()] == '.' || e.field[f.size()] == '[');
    });
    if (!covered) out.push_back(std::move(e));
  }
  return out;
}

Json specOf(const Json& pod) {
  return pod.is_object() ? pod.value("spec", Json()) : Json();
}

}  // namespace

Decision validatePod(const AdmissionRequest& request, const ClusterView& view) {
  if (request.operation != "CREATE" && request.operation != "UPDATE") return allowed();
  if (!request.subResource.empty() && request.subResource != "ephemeralcontainers") return allowed();
  SessionLookup lookup = lookupSession(view, request.namespace_);
  if (!lookup.sessionNamespace) return allowed();

  const Json pod = toJson(*request.object);
  FieldErrors errors;
  bool specChanged = true;
  if (request.operation == "UPDATE" && request.oldObject) {
    const Json old = toJson(*request.oldObject);
    append(errors, checkPodUpdate(pod, old));
    specChanged = specOf(pod) != specOf(old);
  }
  if (!lookup.error.empty()) {
    if (!errors.empty()) return denied(errors);
    // Metadata-only updates (finalizers, owner references) of pods whose session is gone must not get stuck;
    // anything else waits until the session is known.
    if (request.operation == "UPDATE" && !specChanged) return allowed();
    return refusal(lookup);
  }
  if (specChanged) {
    const SessionContext& context = lookup.context;
    checkGatewayKey(*request.object, "labels", *context.profile, errors);
    checkGatewayKey(*request.object, "annotations", *context.profile, errors);
    InjectedPartsCheck injected = checkInjectedParts(pod, context);
    append(errors, std::move(injected.errors));
    PodSecurityExemptions skip = injected.exempt;
    skip.containers.insert(injected.refused.begin(), injected.refused.end());
    append(errors, checkPodSecurity(pod, context.profile->podSecurity, skip));
    append(errors, checkImages(pod, context, skip.containers));
  }
  if (errors.empty()) return allowed();
  return denied(withoutRepeats(std::move(errors)));
}

}  // namespace sessiongate::webhook
