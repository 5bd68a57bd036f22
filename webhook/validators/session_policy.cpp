#include "webhook/admission/dom.h"
#include "webhook/validators/validators.h"

namespace sessiongate::webhook {

Decision validateSessionPolicy(const AdmissionRequest& request) {
  if (request.operation != "CREATE" && request.operation != "UPDATE") return allowed();
  if (!request.subResource.empty()) return allowed();
  PolicyParse parsed = parsePolicy(toJson(*request.object));
  if (parsed.errors.empty()) return allowed();
  return denied(parsed.errors);
}

}  // namespace sessiongate::webhook
