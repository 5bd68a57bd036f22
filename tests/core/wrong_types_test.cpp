// Wrong-typed values in SessionPolicy and UserSession objects: each value of the shipped policy, the webhook
// fixtures' policy and a full UserSession, replaced in turn by a value of every other JSON type, is read
// without an exception, and a string or boolean replaced by anything but null is reported as a field error.
// The lenient readers (memberOf, stringOf, boolOf) are tested on the same kinds of values.
#include <catch2/catch.hpp>

#include "core/json_fields.h"
#include "core/object_loader.h"
#include "core/policy.h"
#include "core/user_session.h"
#include "tests/json_sweep.h"

namespace sessiongate {
namespace {

using ::sessiongate::testing::pointersUnder;
using ::sessiongate::testing::sameType;

const std::vector<Json>& wrongValues() {
  static const std::vector<Json> values{Json("text"),  Json(7),       Json(-1.5),     Json(true),
                                        Json(nullptr), Json::array(), Json::object(), Json::array({1, "a"})};
  return values;
}

// acceptsNumber: quantities (resources, quota) and reserved ports may be written as numbers or strings.
bool acceptsNumber(const std::string& pointer) {
  for (const char* part : {"/resources/", "/quota/", "/reservedPorts/"}) {
    if (pointer.find(part) != std::string::npos) return true;
  }
  return false;
}

template <typename Parse>
void sweep(const Json& object, Parse parse) {
  std::vector<Json::json_pointer> pointers;
  for (const char* root : {"/metadata/name", "/spec"}) {
    const Json::json_pointer at(root);
    if (object.contains(at)) pointersUnder(object.at(at), at, pointers);
  }
  std::size_t tried = 0;
  std::vector<std::string> problems;
  for (const auto& pointer : pointers) {
    const Json& original = object.at(pointer);
    for (const Json& wrong : wrongValues()) {
      if (sameType(original, wrong)) continue;
      Json changed = object;
      changed[pointer] = wrong;
      ++tried;
      const std::string where = pointer.to_string() + " = " + wrong.dump();
      try {
        FieldErrors errors = parse(changed);
        const bool scalar = original.is_string() || original.is_boolean();
        const bool allowedNumber = wrong.is_number() && acceptsNumber(pointer.to_string());
        if (scalar && !wrong.is_null() && !allowedNumber && errors.empty())
          problems.push_back(where + ": no error");
      } catch (const std::exception& e) {
        problems.push_back(where + ": threw " + e.what());
      }
    }
  }
  INFO(tried << " objects tried");
  CHECK(tried > 100);
  for (std::size_t i = 0; i < problems.size() && i < 30; ++i) UNSCOPED_INFO(problems[i]);
  CHECK(problems.empty());
}

Json loadOne(const std::string& path) {
  auto objects = loadSourcedObjects(std::string(SESSIONGATE_SOURCE_DIR) + "/" + path);
  REQUIRE(objects.ok());
  for (const auto& o : *objects) {
    if (stringOf(o.object, "kind") == "SessionPolicy") return o.object;
  }
  FAIL("no SessionPolicy in " << path);
  return {};
}

}  // namespace

TEST_CASE("a wrong-typed value in a SessionPolicy is a field error, never an exception", "[core][policy]") {
  for (const char* path : {"policies/default.yaml", "tests/webhook/fixtures/_cluster/policy.yaml"}) {
    DYNAMIC_SECTION(path) {
      sweep(loadOne(path), [](const Json& o) {
        PolicyParse parsed = parsePolicy(o);
        FieldErrors errors = parsed.errors;
        if (errors.empty()) errors = checkPolicy(parsed.policy);
        return errors;
      });
    }
  }
}

TEST_CASE("a wrong-typed value in a UserSession is a field error, never an exception", "[core][session]") {
  const Json session = Json::parse(R"({
    "apiVersion": "sessiongate.io/v1alpha1", "kind": "UserSession",
    "metadata": {"name": "alice-1"},
    "spec": {"user": "alice", "profile": "standard", "image": "i:1", "gateway": "vpn", "storage": true,
             "ttl": "1h", "inactivityTimeout": "10m",
             "publicExposure": {"ports": [{"name": "http", "protocol": "TCP", "targetPort": 8080, "port": 0}]}}
  })");
  sweep(session, [](const Json& o) { return parseUserSession(o).errors; });
}

TEST_CASE("lenient readers read a member of another type as absent", "[core][json]") {
  const Json object = Json::parse(R"({"s": "text", "n": 5, "b": true, "z": null, "o": {"s": "inner"}})");
  CHECK(memberOf(object, "o") == &object["o"]);
  CHECK(memberOf(object, "z") == nullptr);
  CHECK(memberOf(object, "missing") == nullptr);
  CHECK(memberOf(Json::array({1}), "s") == nullptr);
  CHECK(memberOf(Json("text"), "s") == nullptr);
  CHECK(stringOf(object, "s") == "text");
  CHECK(stringOf(object, "n", "fallback") == "fallback");
  CHECK(stringOf(object, "b") == "");
  CHECK(stringOf(Json(5), "s", "fallback") == "fallback");
  CHECK(boolOf(object, "b", false) == true);
  CHECK(boolOf(object, "s", false) == false);
  CHECK(boolOf(object, "s", true) == true);
  CHECK(boolOf(Json::array(), "b", true) == true);
}

}  // namespace sessiongate
