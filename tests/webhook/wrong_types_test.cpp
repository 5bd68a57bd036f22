// Wrong-typed values anywhere in a reviewed object: every review fixture answered with 200
// (fixtures/*/review.json), each value of its object and oldObject replaced in turn by a value of every other
// JSON type, must still be answered with an AdmissionReview that allows or denies, never with an internal
// error (500) or a crash. The exact refusals of such inputs are the typed-* fixtures of the review table.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/cluster_files.h"
#include "tests/json_sweep.h"
#include "core/file_text.h"
#include "webhook/admission/reviewer.h"

namespace sessiongate::webhook {
namespace {

using ::sessiongate::testing::pointersUnder;
using ::sessiongate::testing::sameType;

namespace fs = std::filesystem;

// wrongValues are one value of each JSON type; a replacement of the value's own type is skipped.
const std::vector<Json>& wrongValues() {
  static const std::vector<Json> values{Json("text"),
                                        Json(7),
                                        Json(-1.5),
                                        Json(true),
                                        Json(nullptr),
                                        Json::array(),
                                        Json::array({"a", 1}),
                                        Json::object(),
                                        Json{{"key", Json::array({1})}}};
  return values;
}

ReviewAnswer run(const Reviewer& reviewer, const std::string& endpoint, std::string_view body) {
  if (endpoint == "both") return reviewer.both(body);
  return reviewer(endpoint == "mutate" ? Endpoint::Mutate : Endpoint::Validate, body);
}

}  // namespace

TEST_CASE("a wrong-typed value anywhere in a reviewed object is never an internal error",
          "[webhook][review]") {
  MemoryClusterView view;
  auto files = loadClusterFiles({fs::path(SESSIONGATE_FIXTURES) / "_cluster"}, "default");
  REQUIRE(files.ok());
  applyClusterFiles(*files, view);
  Reviewer reviewer(view);

  std::size_t reviews = 0;
  std::vector<std::string> internalErrors;
  for (const auto& entry : fs::directory_iterator(SESSIONGATE_FIXTURES)) {
    const fs::path dir = entry.path();
    if (!fs::exists(dir / "review.json")) continue;
    Json expected = Json::parse(fileText(dir / "expected.json").value());
    if (expected["status"] != 200 || expected.value("cluster", "cluster") != "cluster") continue;
    const Json review = Json::parse(fileText(dir / "review.json").value());
    std::vector<Json::json_pointer> pointers;
    for (const char* name : {"object", "oldObject"}) {
      const Json::json_pointer at = "/request"_json_pointer / name;
      if (review.contains(at)) pointersUnder(review.at(at), at, pointers);
    }
    for (const auto& pointer : pointers) {
      for (const Json& wrong : wrongValues()) {
        if (sameType(review.at(pointer), wrong)) continue;
        Json changed = review;
        changed[pointer] = wrong;
        for (const std::string& endpoint : {expected["endpoint"].get<std::string>(), std::string("both")}) {
          ReviewAnswer answer = run(reviewer, endpoint, changed.dump());
          ++reviews;
          if (answer.status == 200 && answer.decision != "error") continue;
          // An object or oldObject that is not an object at all is a malformed review: 400, like the rest.
          const bool wholeObject = pointer.parent_pointer() == "/request"_json_pointer;
          if (wholeObject && answer.status == 400) continue;
          internalErrors.push_back(dir.filename().string() + " " + endpoint + " " + pointer.to_string() +
                                   " = " + wrong.dump() + ": " + std::to_string(answer.status) + " " +
                                   answer.body);
        }
      }
    }
  }
  INFO(reviews << " reviews, " << internalErrors.size() << " internal errors");
  CHECK(reviews > 10000);
  for (std::size_t i = 0; i < internalErrors.size() && i < 40; ++i) UNSCOPED_INFO(internalErrors[i]);
  CHECK(internalErrors.empty());
}

}  // namespace sessiongate::webhook
