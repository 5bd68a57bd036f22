#pragma once
// ApiError is a failed API call as the API server described it (its Status object: code, reason, message,
// field causes), or a request that never got an answer (code 0). ApiResult<T> is a T or an ApiError.
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace sessiongate::kube {

// StatusCause is one entry of Status.details.causes (e.g. one invalid field of a 422).
struct StatusCause {
  std::string reason;  // FieldValueInvalid, FieldValueRequired, ...
  std::string message;
  std::string field;
};

// ApiError carries the API's Status: reason is its machine-readable StatusReason (NotFound, AlreadyExists,
// Conflict, Invalid, Expired, Gone, Forbidden, Unauthorized, ...), message the human text kubectl prints.
struct ApiError {
  int code = 0;  // HTTP status; 0 when the server was not reached or the answer was unreadable
  std::string reason;
  std::string message;
  std::vector<StatusCause> causes;

  bool notFound() const { return reason == "NotFound" || (reason.empty() && code == 404); }
  bool alreadyExists() const { return reason == "AlreadyExists"; }
  bool conflict() const { return reason == "Conflict" || (reason.empty() && code == 409); }
  bool invalid() const { return reason == "Invalid" || code == 422; }
  // gone is true for 410 (Expired or Gone): the resourceVersion or continue token is too old; relist.
  bool gone() const { return code == 410 || reason == "Expired" || reason == "Gone"; }
  bool unreachable() const { return code == 0; }
  // describe renders the error as kubectl does: `Error from server (NotFound): configmaps "x" not found`,
  // or just the message for a transport error.
  std::string describe() const;
};

// apiErrorFromStatus reads a metav1.Status object (from a response body or a watch ERROR event).
ApiError apiErrorFromStatus(const Json& status);
// apiErrorFromResponse builds the error of a non-2xx answer: the Status in the body when there is one,
// otherwise a reason derived from the HTTP code, as client-go does.
ApiError apiErrorFromResponse(int httpStatus, const std::string& body);
// transportError is an error of a request that got no usable answer.
ApiError transportError(std::string message);

// ApiResult holds either a T or the ApiError of the call.
template <typename T>
class ApiResult {
 public:
  ApiResult(T value) : v_(std::move(value)) {}
  ApiResult(ApiError error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const ApiError& error() const { return std::get<1>(v_); }
  // toResult drops the structure of the error, keeping the kubectl-style text.
  Result<T> toResult() const& {
    if (ok()) return value();
    return Error{error().describe()};
  }

 private:
  std::variant<T, ApiError> v_;
};

}  // namespace sessiongate::kube
