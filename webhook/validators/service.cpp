// validateService: in session namespaces, public addresses and node ports come only from the controller
// (which takes them from the policy's pool through IPAM). Everyone else is refused, on CREATE and UPDATE,
// whatever verb (create, update, patch, apply) the request came from: LoadBalancer and NodePort types,
// externalIPs, loadBalancerIP, load-balancer address annotations, and any change of the controller's
// Service spec (type, ports, node ports, traffic policies). An UPDATE is refused only for what it changes,
// so labels on the controller's Service or unrelated fields of a user's Service stay editable.
#include <optional>

#include "webhook/admission/dom.h"
#include "webhook/admission/session_context.h"
#include "webhook/validators/validators.h"

namespace sessiongate::webhook {
namespace {

using simdjson::dom::element;

const FieldPath kSpecPath("spec");
const char* const kExposureHint =
    "; ask for public exposure in the UserSession's spec.publicExposure instead";

// Load-balancer address annotations of MetalLB (both prefixes), besides the policy's own ipAnnotation.
bool isAddressAnnotation(std::string_view key, std::string_view policyAnnotation) {
  if (key == policyAnnotation) return true;
  for (std::string_view prefix : kMetalLbPrefixes) {
    if (key.starts_with(prefix)) return true;
  }
  return false;
}

Json fieldOf(const std::optional<element>& object, std::initializer_list<std::string_view> path) {
  if (!object) return Json();
  auto value = memberAt(*object, path);
  return value ? toJson(*value) : Json();
}

bool isEmpty(const Json& value) {
  return value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty()) ||
         (value.is_array() && value.empty());
}

// changed is true when the request sets field to something the stored object did not have.
bool changed(const AdmissionRequest& request, std::initializer_list<std::string_view> path) {
  Json now = fieldOf(request.object, path);
  if (request.operation != "UPDATE") return !isEmpty(now);
  return now != fieldOf(request.oldObject, path);
}

// isControllersService: the controller labels its Service with the session (and names it "public").
bool isControllersService(const AdmissionRequest& request) {
  if (request.operation != "UPDATE" || !request.oldObject) return false;
  if (stringMember(*request.oldObject, "kind") == "Service" && fieldOf(request.oldObject, {"metadata", "name"}) == "public")
    return true;
  auto labels = memberAt(*request.oldObject, {"metadata", "labels"});
  return labels && member(*labels, kSessionLabel).has_value();
}

void checkAddressAnnotations(const AdmissionRequest& request, std::string_view policyAnnotation,
                             const std::string& controller, FieldErrors& errors) {
  auto annotations = memberAt(*request.object, {"metadata", "annotations"});
  if (!annotations || !isObject(*annotations)) return;
  for (auto [key, value] : simdjson::dom::object(*annotations)) {
    if (!isAddressAnnotation(key, policyAnnotation)) continue;
    if (!changed(request, {"metadata", "annotations", key})) continue;
    errors.push_back(forbidden(FieldPath("metadata").child("annotations").key(std::string(key)),
                               "load-balancer address annotations in session namespaces are set only by the "
                               "sessiongate controller (" + controller + ")" + kExposureHint));
  }
}

}  // namespace

Decision validateService(const AdmissionRequest& request, const ClusterView& view,
                         std::string_view controllerServiceAccount) {
  if (request.operation != "CREATE" && request.operation != "UPDATE") return allowed();
  if (!request.subResource.empty()) return allowed();  // services/status: load balancers report there
  auto ns = view.namespaceInfo(request.namespace_);
  if (!ns || !ns->labels.count(std::string(kSessionLabel))) return allowed();
  if (request.userInfo.username == controllerServiceAccount) return allowed();
  const std::string controller(controllerServiceAccount);

  FieldErrors errors;
  if (isControllersService(request) && changed(request, {"spec"})) {
    errors.push_back(forbidden(kSpecPath, "Service " + request.name + " is the session's public Service; only "
                                              "the sessiongate controller (" + controller +
                                              ") may change its type, ports or any other part of its spec" +
                                              kExposureHint));
  } else if (changed(request, {"spec", "type"})) {
    Json type = fieldOf(request.object, {"spec", "type"});
    if (type == "LoadBalancer") {
      errors.push_back(forbidden(kSpecPath.child("type"),
                                 "only the sessiongate controller (" + controller +
                                     ") may create LoadBalancer Services in session namespaces" + kExposureHint));
    } else if (type == "NodePort") {
      errors.push_back(forbidden(kSpecPath.child("type"),
                                 "NodePort Services are not allowed in session namespaces: a node port opens the "
                                 "session on every node's address, outside the policy's IP pool; use a ClusterIP "
                                 "Service" + std::string(kExposureHint).replace(0, 1, ", or")));
    }
  }
  if (changed(request, {"spec", "externalIPs"})) {
    errors.push_back(forbidden(kSpecPath.child("externalIPs"),
                               "external IPs are not allowed in session namespaces: they claim addresses outside "
                               "the policy's IP pool" + std::string(kExposureHint)));
  }
  if (changed(request, {"spec", "loadBalancerIP"})) {
    errors.push_back(forbidden(kSpecPath.child("loadBalancerIP"),
                               "only the sessiongate controller (" + controller +
                                   ") chooses load-balancer addresses in session namespaces" + kExposureHint));
  }
  auto policy = view.policy();
  std::string policyAnnotation = policy && policy->publicExposure ? policy->publicExposure->ipAnnotation
                                                                   : kMetalLbIpsAnnotation;
  checkAddressAnnotations(request, policyAnnotation, controller, errors);
  if (errors.empty()) return allowed();
  return denied(errors);
}

}  // namespace sessiongate::webhook
