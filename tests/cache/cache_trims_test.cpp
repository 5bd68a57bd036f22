// The webhook cache's trims: each kind as the API server sends it and as the cache keeps it, exactly; a trim
// applied twice changes nothing more (the informer trims listed items, then the store may trim again).
#include "webhook/cache/cache_trims.h"

#include <catch2/catch.hpp>

#include "fixture.h"

namespace sessiongate::webhook {

using kube::testing::fixture;

TEST_CASE("cache trims keep exactly what the admission cache parses", "[cache][trim]") {
  struct Case {
    std::string name;
    kube::ObjectTrim trim;
    Json in;
    Json out;
  };
  auto file = [](const std::string& name) { return Json::parse(fixture("trims/" + name)); };
  const std::vector<Case> cases = {
      {"usersession", sessionTrim(), file("usersession.in.json"), file("usersession.out.json")},
      {"sessionpolicy", policyTrim(), file("sessionpolicy.in.json"), file("sessionpolicy.out.json")},
      {"namespace", namespaceTrim(), file("namespace.in.json"), file("namespace.out.json")},
      // Malformed objects keep what the parser reports on.
      {"metadata not an object", sessionTrim(), Json::parse(R"({"metadata": "x", "spec": 1, "status": {}})"),
       Json::parse(R"({"metadata": "x", "spec": 1})")},
      {"no metadata", namespaceTrim(), Json::parse(R"({"spec": {}})"), Json::object()},
      {"not an object", policyTrim(), Json::parse(R"([1, 2])"), Json::parse(R"([1, 2])")},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Json object = c.in;
    c.trim(object);
    CHECK(object == c.out);
    c.trim(object);
    CHECK(object == c.out);
  }
}

}  // namespace sessiongate::webhook
