#pragma once
// AdmissionRequest is the decoded `request` of an AdmissionReview (admission.k8s.io/v1). The objects are
// simdjson DOM views into the calling thread's parser: they stay valid until that thread decodes the next
// review, so a request must be handled before the next decode on the same thread.
#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sessiongate::webhook {

// GroupVersionKind names the kind of the reviewed object (group is empty for core objects).
struct GroupVersionKind {
  std::string group;
  std::string version;
  std::string kind;
};

// GroupVersionResource names the resource of the reviewed request.
struct GroupVersionResource {
  std::string group;
  std::string version;
  std::string resource;
};

// UserInfo is the authenticated requester.
struct UserInfo {
  std::string username;
  std::vector<std::string> groups;
};

// AdmissionRequest is what the rules read of one review.
struct AdmissionRequest {
  std::string uid;
  GroupVersionKind kind;
  GroupVersionResource resource;
  std::string subResource;
  std::string name;
  std::string namespace_;
  std::string operation;  // CREATE, UPDATE, DELETE or CONNECT
  UserInfo userInfo;
  bool dryRun = false;
  std::optional<simdjson::dom::element> object;     // absent on DELETE (and possibly CONNECT)
  std::optional<simdjson::dom::element> oldObject;  // absent on CREATE
};

// decodeReview parses an AdmissionReview body with the calling thread's simdjson parser and decodes its
// request. A body that is not JSON, not an admission.k8s.io/v1 AdmissionReview, or lacks request, uid, kind
// or operation gives an error saying what is wrong.
Result<AdmissionRequest> decodeReview(std::string_view body);

}  // namespace sessiongate::webhook
