// whoAmI's answer: status.userInfo of a SelfSubjectReview as kube-apiserver 1.32 sends it.
#include "core/kube/self_subject_review.h"

#include <catch2/catch.hpp>

namespace sessiongate::kube {

TEST_CASE("a SelfSubjectReview answer gives the user the API server authenticated", "[kube][whoami]") {
  struct Case {
    std::string answer;
    std::string username;  // "" when the answer is an error
    std::vector<std::string> groups;
  };
  const Case cases[] = {
      {R"({"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},
          "status":{"userInfo":{"username":"alice","groups":["sessiongate:users","system:authenticated"]}}})",
       "alice",
       {"sessiongate:users", "system:authenticated"}},
      {R"({"status":{"userInfo":{"username":"system:serviceaccount:ns:sa","uid":"6f1c","groups":["system:serviceaccounts",7]}}})",
       "system:serviceaccount:ns:sa",
       {"system:serviceaccounts"}},
      {R"({"status":{"userInfo":{"username":""}}})", "", {}},
      {R"({"status":{"userInfo":{"groups":["x"]}}})", "", {}},
      {R"({"status":{}})", "", {}},
      {R"({"status":{"userInfo":{"username":["alice"]}}})", "", {}},
      {R"([])", "", {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.answer);
    auto identity = parseSelfSubjectReview(Json::parse(c.answer));
    if (c.username.empty()) {
      REQUIRE_FALSE(identity);
      CHECK(identity.error() == "the API server's SelfSubjectReview has no status.userInfo.username");
      continue;
    }
    REQUIRE(identity);
    CHECK(identity->username == c.username);
    CHECK(identity->groups == c.groups);
  }
}

}  // namespace sessiongate::kube
