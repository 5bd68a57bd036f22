#include "core/kube/self_subject_review.h"

namespace sessiongate::kube {

Result<UserIdentity> parseSelfSubjectReview(const Json& review) {
  const Json* info = nullptr;
  if (review.is_object() && review.contains("status") && review["status"].is_object() &&
      review["status"].contains("userInfo") && review["status"]["userInfo"].is_object()) {
    info = &review["status"]["userInfo"];
  }
  if (!info || !info->contains("username") || !(*info)["username"].is_string() ||
      (*info)["username"].get<std::string>().empty()) {
    return Error{"the API server's SelfSubjectReview has no status.userInfo.username"};
  }
  UserIdentity identity;
  identity.username = (*info)["username"].get<std::string>();
  if (info->contains("uid") && (*info)["uid"].is_string()) identity.uid = (*info)["uid"].get<std::string>();
  if (info->contains("groups") && (*info)["groups"].is_array()) {
    for (const Json& group : (*info)["groups"]) {
      if (group.is_string()) identity.groups.push_back(group.get<std::string>());
    }
  }
  return identity;
}

ApiResult<UserIdentity> whoAmI(const KubeClient& client) {
  const Json request = {{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "SelfSubjectReview"}};
  auto answer = client.create(kSelfSubjectReviews, "", request);
  if (!answer) return answer.error();
  auto identity = parseSelfSubjectReview(*answer);
  if (!identity) return transportError(identity.error());
  return *identity;
}

}  // namespace sessiongate::kube
