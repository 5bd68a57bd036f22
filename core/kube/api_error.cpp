#include "core/kube/api_error.h"

namespace sessiongate::kube {
namespace {

std::string stringField(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// reasonForCode mirrors client-go's NewGenericServerResponse for answers without a Status body.
std::pair<const char*, const char*> reasonForCode(int code) {
  switch (code) {
    case 400:
      return {"BadRequest", "the server rejected our request for an unknown reason"};
    case 401:
      return {"Unauthorized", "the server has asked for the client to provide credentials"};
    case 403:
      return {"Forbidden", "the server does not allow access to the requested resource"};
    case 404:
      return {"NotFound", "the server could not find the requested resource"};
    case 405:
      return {"MethodNotAllowed", "the server does not allow this method on the requested resource"};
    case 406:
      return {"NotAcceptable",
              "the server was unable to respond with a content type that the client supports"};
    case 409:
      return {"Conflict", "the server reported a conflict"};
    case 410:
      return {"Gone", "the server no longer has the requested resource"};
    case 413:
      return {"RequestEntityTooLarge", "the server has rejected the request due to its size"};
    case 415:
      return {"UnsupportedMediaType", "the server does not support the content type of the request"};
    case 422:
      return {"Invalid", "the server rejected our request due to an error in our request"};
    case 429:
      return {"TooManyRequests",
              "the server has received too many requests and has asked us to try again later"};
    case 500:
      return {"InternalError", "an error on the server has prevented the request from succeeding"};
    case 503:
      return {"ServiceUnavailable", "the server is currently unable to handle the request"};
    case 504:
      return {"Timeout", "the server was unable to return a response in the time allotted"};
    default:
      return {"", "an error on the server has prevented the request from succeeding"};
  }
}

}  // namespace

std::string ApiError::describe() const {
  if (code == 0) return message;
  const std::string& label = reason.empty() ? std::string("Unknown") : reason;
  return "Error from server (" + label + "): " + message;
}

ApiError apiErrorFromStatus(const Json& status) {
  ApiError error;
  if (!status.is_object())
    return transportError("the API server sent an unreadable Status: " + status.dump());
  if (auto it = status.find("code"); it != status.end() && it->is_number_integer())
    error.code = it->get<int>();
  error.reason = stringField(status, "reason");
  error.message = stringField(status, "message");
  if (auto d = status.find("details"); d != status.end() && d->is_object()) {
    if (auto c = d->find("causes"); c != d->end() && c->is_array()) {
      for (const Json& cause : *c) {
        error.causes.push_back(
            {stringField(cause, "reason"), stringField(cause, "message"), stringField(cause, "field")});
      }
    }
  }
  if (error.message.empty()) error.message = reasonForCode(error.code).second;
  return error;
}

ApiError apiErrorFromResponse(int httpStatus, const std::string& body) {
  Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.value("kind", "") == "Status") {
    ApiError error = apiErrorFromStatus(parsed);
    if (error.code == 0) error.code = httpStatus;
    return error;
  }
  auto [reason, text] = reasonForCode(httpStatus);
  ApiError error{httpStatus, reason, text, {}};
  // A short plain-text body (a proxy's error page, "404 page not found") says more than the generic text.
  if (!body.empty() && body.size() < 512 && !parsed.is_object()) {
    std::string trimmed = body;
    while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.pop_back();
    error.message += " (" + trimmed + ")";
  }
  return error;
}

ApiError transportError(std::string message) {
  return ApiError{0, "", std::move(message), {}};
}

}  // namespace sessiongate::kube
