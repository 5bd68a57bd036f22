#include "webhook/admission/dom.h"
#include "webhook/admission/session_context.h"
#include "webhook/validators/validators.h"

namespace sessiongate::webhook {

Decision validateService(const AdmissionRequest& request, const ClusterView& view,
                         std::string_view controllerServiceAccount) {
  if (request.operation != "CREATE" && request.operation != "UPDATE") return allowed();
  auto spec = member(*request.object, "spec");
  if (!spec || stringMember(*spec, "type") != "LoadBalancer") return allowed();
  auto ns = view.namespaceInfo(request.namespace_);
  if (!ns || !ns->labels.count(std::string(kSessionLabel))) return allowed();
  if (request.userInfo.username == controllerServiceAccount) return allowed();
  return denied(FieldErrors{forbidden(
      FieldPath("spec").child("type"),
      "only the sessiongate controller (" + std::string(controllerServiceAccount) +
          ") may create LoadBalancer Services in session namespaces; ask for public exposure in the "
          "UserSession's spec.publicExposure instead")});
}

}  // namespace sessiongate::webhook
