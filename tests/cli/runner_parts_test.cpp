// The test runner's parts: subset matching, resource names and the AdmissionReview it builds from a case.
#include <catch2/catch.hpp>

#include "cli/case_review.h"
#include "cli/json_subset.h"
#include "cli/test_case.h"

namespace sessiongate::cli {

TEST_CASE("subsetMismatch matches partial objects and whole lists", "[cli][subset]") {
  struct Case {
    const char* expected;
    const char* actual;
    std::optional<std::string> mismatch;
  };
  const Case cases[] = {
      {R"({"a": 1})", R"({"a": 1, "b": 2})", std::nullopt},
      {R"({"a": {"b": [1, {"c": "x"}]}})", R"({"a": {"b": [1, {"c": "x", "d": 0}]}})", std::nullopt},
      {R"({"a": 1})", R"({"b": 1})", "/a: expected 1, got nothing"},
      {R"({"l": [1]})", R"({"l": [1, 2]})", "/l: expected 1 items, got 2: [1,2]"},
      {R"({"m": {"x/y": "1"}})", R"({"m": {"x/y": 1}})", "/m/x~1y: expected \"1\", got 1"},
      {R"({"c": [{"n": "a"}]})", R"({"c": [{"n": "b"}]})", "/c/0/n: expected \"a\", got \"b\""},
      {R"({"o": {}})", R"({"o": []})", "/o: expected an object, got []"},
  };
  for (const Case& c : cases) {
    INFO(c.expected);
    CHECK(subsetMismatch(Json::parse(c.expected), Json::parse(c.actual)) == c.mismatch);
  }
}

TEST_CASE("resourceOf pluralises kinds as the API server names resources", "[cli][review-builder]") {
  CHECK(resourceOf("Pod") == "pods");
  CHECK(resourceOf("Service") == "services");
  CHECK(resourceOf("UserSession") == "usersessions");
  CHECK(resourceOf("SessionPolicy") == "sessionpolicies");
  CHECK(resourceOf("Ingress") == "ingresses");
}

TEST_CASE("buildReview turns a case into an AdmissionReview", "[cli][review-builder]") {
  Json caseJson = Json::parse(R"({
    "name": "update-case", "description": "d", "operation": "UPDATE",
    "user": {"username": "alice", "groups": ["sessiongate:users"]},
    "oldObject": {"apiVersion": "sessiongate.io/v1alpha1", "kind": "UserSession", "metadata": {"name": "s"},
                  "spec": {"user": "alice", "profile": "shell"}},
    "object": {"apiVersion": "sessiongate.io/v1alpha1", "kind": "UserSession", "metadata": {"name": "s"},
               "spec": {"user": "alice", "profile": "shell", "ttl": "1h"}},
    "expect": {"allowed": true}
  })");
  auto testCase = parseTestCase({caseJson, "x.yaml:1"}, "dir", "policies/default.yaml");
  REQUIRE(testCase.ok());
  CHECK(testCase->policyFile == "policies/default.yaml");
  Json review = buildReview(*testCase);
  CHECK(review["apiVersion"] == "admission.k8s.io/v1");
  CHECK(review["kind"] == "AdmissionReview");
  const Json& request = review["request"];
  CHECK(request["kind"] ==
        Json::parse(R"({"group": "sessiongate.io", "version": "v1alpha1", "kind": "UserSession"})"));
  CHECK(request["resource"] ==
        Json::parse(R"({"group": "sessiongate.io", "version": "v1alpha1", "resource": "usersessions"})"));
  CHECK(request["name"] == "s");
  CHECK_FALSE(request.contains("namespace"));
  CHECK(request["operation"] == "UPDATE");
  CHECK(request["userInfo"] == Json::parse(R"({"username": "alice", "groups": ["sessiongate:users"]})"));
  CHECK(request["object"]["spec"]["ttl"] == "1h");
  CHECK(request["oldObject"]["spec"] == Json::parse(R"({"user": "alice", "profile": "shell"})"));
  CHECK(request["uid"] == buildReview(*testCase)["request"]["uid"]);
  CHECK(request["uid"].get<std::string>().size() == 36);

  Json pod =
      Json::parse(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "sess-s"}})");
  Json podReview = buildReview(*testCase, &pod);
  CHECK(podReview["request"]["kind"] == Json::parse(R"({"group": "", "version": "v1", "kind": "Pod"})"));
  CHECK(podReview["request"]["resource"]["resource"] == "pods");
}

TEST_CASE("parseTestCase names the field that is wrong", "[cli][case]") {
  const std::string object = R"("object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}})";
  struct Case {
    std::string json;
    std::string error;
  };
  const Case cases[] = {
      {R"({"description": "d"})", "name is required and must be a non-empty string"},
      {R"({"name": "n", "user": {"username": "a"}, )" + object + "}",
       "f.yaml:3: case n: description is required and must be a non-empty string"},
      {R"({"name": "n", "description": "d", )" + object + "}",
       "f.yaml:3: case n: user is required: {username, groups}"},
      {R"({"name": "n", "description": "d", "user": {"username": "a"}, )" + object + "}",
       "f.yaml:3: case n: expect is required and must be a mapping"},
      {R"({"name": "n", "description": "d", "user": {"username": "a"}, "expect": {}, )" + object + "}",
       "f.yaml:3: case n: expect.allowed is required and must be true or false"},
      {R"({"name": "n", "description": "d", "user": {"username": "a"}, "expect": {"allowed": true}})",
       "f.yaml:3: case n: object is required for CREATE"},
      {R"({"name": "n", "description": "d", "user": {"username": "a"}, "operation": "UPDATE", "expect": {"allowed": true}, )" +
           object + "}",
       "f.yaml:3: case n: oldObject is required for UPDATE"},
      {R"({"name": "n", "description": "d", "user": {"username": "a"}, "operation": "PATCH", "expect": {"allowed": true}, )" +
           object + "}",
       "f.yaml:3: case n: operation must be CREATE, UPDATE, DELETE or CONNECT, got \"PATCH\""},
      {R"({"name": "n", "description": "d", "user": {"username": "a"}, "expect": {"allowed": true, "patch": {}}, )" +
           object + "}",
       "f.yaml:3: case n: expect.patch must be a list of JSON Patch operations"},
      {R"({"name": "n", "description": "d", "user": {"username": "a"}, "expect": {"allowed": true}, "object": {"kind": "Pod"}})",
       "f.yaml:3: case n: object must be a Kubernetes object with apiVersion, kind and metadata.name"},
      {R"({"name": "n", "description": "d", "user": {"username": "a"}, "operation": "CONNECT", "expect": {"allowed": true}, "object": {"apiVersion": "v1", "kind": "PodExecOptions"}})",
       "f.yaml:3: case n: a CONNECT case needs subResource (exec or attach) and podName"},
      {R"({"name": "n", "description": "d", "user": {"username": "a"}, "operation": "CONNECT", "subResource": "exec", "podName": "p", "expect": {"allowed": true}, "object": {"kind": "PodExecOptions"}})",
       "f.yaml:3: case n: object is required for CONNECT: the options object with apiVersion and kind"},
      {R"({"name": "n", "description": "d", "user": {"username": "a"}, "operation": "CONNECT", "subResource": "exec", "podName": "p", "expect": {"allowed": true}, "object": {"apiVersion": "v1", "kind": "PodExecOptions"}})",
       "f.yaml:3: case n: namespace is required for CONNECT"},
  };
  for (const Case& c : cases) {
    auto parsed = parseTestCase({Json::parse(c.json), "f.yaml:3"}, "dir", "default.yaml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error() == c.error);
  }
}

}  // namespace sessiongate::cli
