#include "webhook/admission/reviewer.h"

#include "core/api_names.h"
#include "core/json.h"
#include "core/json_patch_apply.h"
#include "webhook/admission/decision.h"
#include "webhook/admission/dom.h"
#include "webhook/admission/request.h"
#include "webhook/admission/response.h"
#include "webhook/mutators/mutators.h"
#include "webhook/validators/validators.h"

namespace sessiongate::webhook {
namespace {


bool isKind(const AdmissionRequest& r, std::string_view group, std::string_view kind) {
  return r.kind.group == group && r.kind.kind == kind;
}

Decision validate(const AdmissionRequest& request, const ClusterView& view, const ReviewerOptions& options) {
  // CONNECT reviews carry the options object (PodExecOptions, PodAttachOptions), not the pod.
  if (request.operation == "CONNECT" && request.resource.group.empty() &&
      request.resource.resource == "pods") {
    return validatePodConnect(request, view);
  }
  if (isKind(request, kGroup, kUserSessionKind)) return validateUserSession(request, view, options.controllerServiceAccount);
  if (isKind(request, kGroup, kSessionPolicyKind)) return validateSessionPolicy(request);
  if (isKind(request, "", "Service")) return validateService(request, view, options.controllerServiceAccount);
  if (isKind(request, "", "Pod")) return validatePod(request, view);
  return allowed();
}

Decision mutate(const AdmissionRequest& request, const ClusterView& view) {
  if (isKind(request, "", "Pod")) return mutatePod(request, view);
  return allowed();
}

ReviewAnswer answer(const AdmissionRequest& request, const Decision& decision) {
  return ReviewAnswer{200, encodeResponse(request.uid, decision), request.kind.kind, decision.label()};
}

ReviewAnswer malformed(const std::string& message) {
  return ReviewAnswer{400, message, "unknown", "error"};
}

// decide runs the rules and turns an unexpected exception (a bug, or an object shape the rules did not
// foresee) into an errored answer instead of a crash.
template <typename Rules>
Decision decide(Rules rules) {
  try {
    return rules();
  } catch (const std::exception& e) {
    return errored(500, std::string("internal error while reviewing: ") + e.what());
  }
}

// patchedReview is body with request.object replaced by the patched object, the patch applied as strictly
// as the API server applies it: a patch it would reject is an error here too.
Result<std::string> patchedReview(std::string_view body, const std::string& patch) {
  Json review = Json::parse(body, nullptr, false);
  Json patchJson = Json::parse(patch, nullptr, false);
  if (review.is_discarded() || patchJson.is_discarded()) return Error{"the mutation patch is not JSON"};
  Json& object = review["request"]["object"];
  auto result = applyJsonPatch(std::move(object), patchJson);
  if (!result) return Error{"the mutation patch does not apply to the object: " + result.error()};
  object = std::move(*result);
  return review.dump();
}

}  // namespace

Reviewer::Reviewer(const ClusterView& view, ReviewerOptions options)
    : view_(view), options_(std::move(options)) {}

ReviewAnswer Reviewer::operator()(Endpoint endpoint, std::string_view body) const {
  auto request = decodeReview(body);
  if (!request) return malformed(request.error());
  Decision decision = decide([&] {
    return endpoint == Endpoint::Validate ? validate(*request, view_, options_) : mutate(*request, view_);
  });
  return answer(*request, decision);
}

ReviewAnswer Reviewer::both(std::string_view body) const {
  auto request = decodeReview(body);
  if (!request) return malformed(request.error());
  Decision mutation = decide([&] { return mutate(*request, view_); });
  if (!mutation.allowed()) return answer(*request, mutation);
  if (mutation.patch.empty())
    return answer(*request, decide([&] { return validate(*request, view_, options_); }));

  auto patchedBody = patchedReview(body, mutation.patch);
  if (!patchedBody) return answer(*request, errored(500, patchedBody.error()));
  auto patchedRequest = decodeReview(*patchedBody);  // invalidates *request: the parser is reused
  if (!patchedRequest) return answer(*request, errored(500, patchedRequest.error()));
  Decision validation = decide([&] { return validate(*patchedRequest, view_, options_); });
  if (!validation.allowed()) return answer(*patchedRequest, validation);
  return answer(*patchedRequest, withWarnings(std::move(mutation), std::move(validation.warnings)));
}

}  // namespace sessiongate::webhook
