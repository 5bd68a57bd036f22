#include <string>

#include "webhook/admission/dom.h"
#include "webhook/admission/request.h"

namespace sessiongate::webhook {
namespace {

using simdjson::dom::element;

constexpr std::string_view kReviewApiVersion = "admission.k8s.io/v1";

// parser is per thread: simdjson parsers reuse their buffers, and the decoded request points into them.
simdjson::dom::parser& threadParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

Error reviewError(std::string what) {
  return Error{"malformed AdmissionReview: " + std::move(what)};
}

std::vector<std::string> stringArray(element obj, std::string_view key) {
  std::vector<std::string> out;
  auto values = member(obj, key);
  if (!values || !isArray(*values)) return out;
  for (element value : simdjson::dom::array(*values)) {
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS) out.emplace_back(text);
  }
  return out;
}

std::optional<element> objectMember(element obj, std::string_view key) {
  auto value = member(obj, key);
  if (!value || !isObject(*value)) return std::nullopt;
  return value;
}

}  // namespace

Result<AdmissionRequest> decodeReview(std::string_view body) {
  element root;
  auto error = threadParser().parse(body.data(), body.size()).get(root);
  if (error != simdjson::SUCCESS) {
    return reviewError(std::string("the body is not JSON (") + simdjson::error_message(error) + ")");
  }
  if (!isObject(root)) return reviewError("the body is not a JSON object");
  std::string_view apiVersion = stringMember(root, "apiVersion");
  std::string_view kind = stringMember(root, "kind");
  if (kind != "AdmissionReview") {
    return reviewError("kind is \"" + std::string(kind) + "\", want \"AdmissionReview\"");
  }
  if (apiVersion != kReviewApiVersion) {
    return reviewError("apiVersion is \"" + std::string(apiVersion) + "\", want \"" +
                       std::string(kReviewApiVersion) +
                       "\" (set admissionReviewVersions: [v1] in the webhook configuration)");
  }
  auto request = objectMember(root, "request");
  if (!request) return reviewError("request is missing or not an object");

  AdmissionRequest out;
  out.uid = stringMember(*request, "uid");
  if (out.uid.empty()) return reviewError("request.uid is missing");
  auto gvk = objectMember(*request, "kind");
  if (!gvk || stringMember(*gvk, "kind").empty()) return reviewError("request.kind.kind is missing");
  out.kind = {std::string(stringMember(*gvk, "group")), std::string(stringMember(*gvk, "version")),
              std::string(stringMember(*gvk, "kind"))};
  if (auto gvr = objectMember(*request, "resource")) {
    out.resource = {std::string(stringMember(*gvr, "group")), std::string(stringMember(*gvr, "version")),
                    std::string(stringMember(*gvr, "resource"))};
  }
  out.operation = stringMember(*request, "operation");
  if (out.operation.empty()) return reviewError("request.operation is missing");
  out.subResource = stringMember(*request, "subResource");
  out.name = stringMember(*request, "name");
  out.namespace_ = stringMember(*request, "namespace");
  if (auto user = objectMember(*request, "userInfo")) {
    out.userInfo.username = stringMember(*user, "username");
    out.userInfo.groups = stringArray(*user, "groups");
  }
  if (auto dryRun = member(*request, "dryRun")) {
    bool value = false;
    out.dryRun = dryRun->get_bool().get(value) == simdjson::SUCCESS && value;
  }
  out.object = objectMember(*request, "object");
  out.oldObject = objectMember(*request, "oldObject");
  if (!out.object && (out.operation == "CREATE" || out.operation == "UPDATE")) {
    return reviewError("request.object is missing for a " + out.operation + " request");
  }
  return out;
}

}  // namespace sessiongate::webhook
