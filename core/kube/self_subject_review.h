#pragma once
// whoAmI asks the API server who the client is, with a SelfSubjectReview (authentication.k8s.io/v1), as
// `kubectl auth whoami` does: the answer is the authenticated user as the authorizer and admission see it,
// whatever credentials the kubeconfig holds (certificate, token, exec plugin output).
#include <string>
#include <vector>

#include "core/kube/kube_client.h"

namespace sessiongate::kube {

// UserIdentity is status.userInfo of a SelfSubjectReview.
struct UserIdentity {
  std::string username;
  std::string uid;
  std::vector<std::string> groups;
};

inline const ResourceRef kSelfSubjectReviews{"authentication.k8s.io", "v1", "selfsubjectreviews", false};

// parseSelfSubjectReview reads the answer of the API server; an answer without a username is an error.
Result<UserIdentity> parseSelfSubjectReview(const Json& review);

// whoAmI creates a SelfSubjectReview and returns who the API server says the caller is.
ApiResult<UserIdentity> whoAmI(const KubeClient& client);

}  // namespace sessiongate::kube
