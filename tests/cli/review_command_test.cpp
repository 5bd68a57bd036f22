// sessiongatectl review: the answer printed for fixture reviews, and exit 2 with a message for malformed
// ones.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "core/file_text.h"
#include "core/json.h"
#include "run_command.h"
#include "webhook/admission/response.h"

namespace sessiongate::cli {
namespace {

}  // namespace

TEST_CASE("review both prints the pod patch in base64", "[cli][review]") {
  CommandRun run = runCommand({"review", "--policies", defaultPolicy(), "--objects", fixture("objects.yaml"),
                               "--file", fixture("pod-review.json")});
  REQUIRE(run.code == kExitOk);
  CHECK(run.err.empty());
  Json response = Json::parse(run.out);
  CHECK(response["apiVersion"] == "admission.k8s.io/v1");
  CHECK(response["kind"] == "AdmissionReview");
  CHECK(response["response"]["uid"] == "7f0b2c1e-4b8a-4a3f-9d7e-1c2b3a4d5e6f");
  CHECK(response["response"]["allowed"] == true);
  CHECK(response["response"]["patchType"] == "JSONPatch");
  Json patch = Json::parse(webhook::base64Decode(response["response"]["patch"].get<std::string>()));
  CHECK(patch == Json::parse(R"([
    {"op": "add", "path": "/metadata/labels",
     "value": {"sessiongate.io/session": "alice-batch", "sessiongate.io/user": "alice"}},
    {"op": "add", "path": "/spec/containers/0/resources",
     "value": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}}}
  ])"));
}

TEST_CASE("review reads the review from stdin and validate gives no patch", "[cli][review]") {
  CommandRun run = runCommand({"review", "--policies", defaultPolicy(), "--objects", fixture("objects.yaml"),
                               "--endpoint", "validate"},
                              fileText(fixture("pod-review.json")).value());
  REQUIRE(run.code == kExitOk);
  Json response = Json::parse(run.out);
  CHECK(response["response"]["allowed"] == true);
  CHECK_FALSE(response["response"].contains("patch"));
}

TEST_CASE("review prints a denial with its field path and still exits 0", "[cli][review]") {
  CommandRun run =
      runCommand({"review", "--policies", defaultPolicy(), "--file", fixture("denied-session-review.json")});
  REQUIRE(run.code == kExitOk);
  Json response = Json::parse(run.out);
  CHECK(response["response"]["allowed"] == false);
  CHECK(response["response"]["status"]["code"] == 403);
  CHECK(response["response"]["status"]["message"] ==
        "spec.user: Forbidden: alice may not create a session for bob; only members of adminGroups "
        "[sessiongate:admins] may");
}

TEST_CASE("review both refuses a pod whose container is not an object, naming the field", "[cli][review]") {
  for (const char* endpoint : {"both", "mutate"}) {
    INFO(endpoint);
    CommandRun run = runCommand({"review", "--policies", defaultPolicy(), "--objects", fixture("objects.yaml"),
                                 "--endpoint", endpoint, "--file", fixture("container-not-object-review.json")});
    REQUIRE(run.code == kExitOk);
    CHECK(run.err.empty());
    Json response = Json::parse(run.out);
    CHECK(response["response"] == Json::parse(R"({"uid": "container-not-object", "allowed": false,
      "status": {"code": 403, "reason": "Forbidden",
                 "message": "spec.containers[0]: Invalid value: string: must be an object"}})"));
  }
}

TEST_CASE("review of a malformed review exits 2 with the reason on stderr", "[cli][review]") {
  struct Case {
    std::vector<std::string> source;  // extra args
    std::string stdinText;
    std::string err;
  };
  const Case cases[] = {
      {{"--file", fixture("missing-request-review.json")},
       "",
       "sessiongatectl review: " + fixture("missing-request-review.json") +
           ": malformed AdmissionReview: request is missing or not an object\n"},
      {{}, "", "sessiongatectl review: stdin: malformed AdmissionReview: the body is not JSON"},
      {{},
       fileText(fixture("truncated-review.json")).value(),
       "sessiongatectl review: stdin: malformed AdmissionReview: the body is not JSON"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args{"review", "--policies", defaultPolicy()};
    args.insert(args.end(), c.source.begin(), c.source.end());
    CommandRun run = runCommand(args, c.stdinText);
    INFO(run.err);
    CHECK(run.code == kExitUsage);
    CHECK(run.out.empty());
    CHECK(run.err.rfind(c.err, 0) == 0);
  }
}

TEST_CASE("review refuses bad inputs before reading the review", "[cli][review]") {
  struct Case {
    std::vector<std::string> args;
    std::string errPrefix;
  };
  const Case cases[] = {
      {{"review", "--policies", fixture("no-such-file.yaml")},
       "sessiongatectl review: " + fixture("no-such-file.yaml") + ": no such file or directory\n"},
      {{"review", "--policies", defaultPolicy(), "--endpoint", "audit"},
       "sessiongatectl review: --endpoint must be mutate, validate or both, got \"audit\"\n"},
      {{"review", "--policies", defaultPolicy(), "--policy-name", "staging"},
       "sessiongatectl review: no SessionPolicy named \"staging\""},
      {{"review", "--policies", defaultPolicy(), "--file", fixture("no-such-review.json")},
       "sessiongatectl review: " + fixture("no-such-review.json") + ": cannot be read\n"},
      {{"review"},
       "sessiongatectl review: missing required flag --policies PATH\n\nUsage: sessiongatectl review"},
  };
  for (const Case& c : cases) {
    CommandRun run = runCommand(c.args);
    INFO(run.err);
    CHECK(run.code == kExitUsage);
    CHECK(run.out.empty());
    CHECK(run.err.rfind(c.errPrefix, 0) == 0);
  }
}

}  // namespace sessiongate::cli
