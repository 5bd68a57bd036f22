#include <algorithm>

#include "webhook/admission/dom.h"
#include "webhook/admission/session_context.h"
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

}  // namespace

Decision validatePod(const AdmissionRequest& request, const ClusterView& view) {
  if (request.operation != "CREATE" && request.operation != "UPDATE") return allowed();
  if (!request.subResource.empty()) return allowed();
  SessionLookup lookup = lookupSession(view, request.namespace_);
  if (!lookup.sessionNamespace) return allowed();
  if (!lookup.error.empty()) {
    // Updates (finalizers, labels) of pods whose session is going away must not get stuck.
    return request.operation == "CREATE" ? denied(lookup.error) : allowed();
  }
  FieldErrors errors;
  checkGatewayKey(*request.object, "labels", *lookup.context.profile, errors);
  checkGatewayKey(*request.object, "annotations", *lookup.context.profile, errors);
  if (errors.empty()) return allowed();
  return denied(errors);
}

}  // namespace sessiongate::webhook
