// Fixture table of admission reviews: each folder of fixtures/ with a review.json is one case, answered by
// the Reviewer against a cluster loaded from fixtures/_cluster (or fixtures/_<name> when expected.json says
// "cluster": "<name>", an empty cluster for "none", fixtures/_cluster without its policy for "no-policy": the
// webhook before the first SessionPolicy exists). expected.json holds the endpoint (validate, mutate
// or both), the HTTP status, the decision label and the exact response (its patch decoded to JSON), or the
// exact error text of a malformed review. Every patched pod is mutated again and must get no patch.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/cluster_files.h"
#include "core/file_text.h"
#include "core/json_patch_apply.h"
#include "webhook/admission/response.h"
#include "webhook/admission/reviewer.h"

namespace sessiongate::webhook {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> caseDirs() {
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(SESSIONGATE_FIXTURES)) {
    if (fs::exists(entry.path() / "review.json")) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

std::unique_ptr<MemoryClusterView> loadCluster(const std::string& name) {
  auto view = std::make_unique<MemoryClusterView>();
  if (name == "none") return view;
  const bool withoutPolicy = name == "no-policy";
  auto files = loadClusterFiles({fs::path(SESSIONGATE_FIXTURES) / ("_" + (withoutPolicy ? "cluster" : name))},
                                "default");
  INFO((files.ok() ? std::string() : files.error()));
  REQUIRE(files.ok());
  applyClusterFiles(*files, *view);
  if (withoutPolicy) view->setPolicy(nullptr);
  return view;
}

ReviewAnswer run(const Reviewer& reviewer, const std::string& endpoint, std::string_view body) {
  if (endpoint == "both") return reviewer.both(body);
  return reviewer(endpoint == "mutate" ? Endpoint::Mutate : Endpoint::Validate, body);
}

// decodedResponse is the answer's response with its base64 patch decoded to JSON.
Json decodedResponse(const ReviewAnswer& answer) {
  Json review = Json::parse(answer.body);
  CHECK(review["apiVersion"] == "admission.k8s.io/v1");
  CHECK(review["kind"] == "AdmissionReview");
  Json response = review["response"];
  if (response.contains("patch"))
    response["patch"] = Json::parse(base64Decode(response["patch"].get<std::string>()));
  return response;
}

// checkReinvocation applies the patch to the reviewed pod as strictly as the API server does and mutates the
// result again: no patch allowed.
void checkReinvocation(const Reviewer& reviewer, const std::string& body, const Json& patch) {
  Json review = Json::parse(body);
  auto patched = applyJsonPatch(review["request"]["object"], patch);
  INFO((patched.ok() ? std::string() : patched.error()));
  REQUIRE(patched.ok());
  review["request"]["object"] = *patched;
  review["request"]["uid"] = "reinvocation";
  ReviewAnswer again = reviewer(Endpoint::Mutate, review.dump());
  REQUIRE(again.status == 200);
  Json response = decodedResponse(again);
  INFO("second patch: " << response.value("patch", Json()).dump());
  CHECK(again.decision == "allowed");
  CHECK(response == Json{{"uid", "reinvocation"}, {"allowed", true}});
}

}  // namespace

TEST_CASE("admission reviews answer as the fixtures expect", "[webhook][review]") {
  auto dirs = caseDirs();
  REQUIRE(dirs.size() >= 40);
  for (const auto& dir : dirs) {
    DYNAMIC_SECTION(dir.filename().string()) {
      Json expected = Json::parse(fileText(dir / "expected.json").value());
      std::string body = fileText(dir / "review.json").value();
      auto view = loadCluster(expected.value("cluster", "cluster"));
      Reviewer reviewer(*view);
      ReviewAnswer answer = run(reviewer, expected["endpoint"], body);
      INFO("body: " << answer.body);
      REQUIRE(answer.status == expected["status"].get<int>());
      if (answer.status != 200) {
        CHECK(answer.body == expected["error"].get<std::string>());
        CHECK(answer.decision == "error");
        continue;
      }
      CHECK(answer.decision == expected["decision"].get<std::string>());
      Json response = decodedResponse(answer);
      CHECK(response == expected["response"]);
      if (response.contains("patch")) checkReinvocation(reviewer, body, response["patch"]);
    }
  }
}

}  // namespace sessiongate::webhook
