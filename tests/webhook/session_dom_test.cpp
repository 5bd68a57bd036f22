// The webhook reads a reviewed UserSession in its simdjson DOM (DomNode) with core's one parser; these tables
// hold it to the nlohmann reading it replaced: the same session and the same field errors for every
// UserSession of the review fixtures with each of its values replaced by every other JSON type, and
// sameJson answering as nlohmann's == does on the copies.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/file_text.h"
#include "core/user_session.h"
#include "core/user_session_reader.h"
#include "tests/json_sweep.h"
#include "webhook/admission/dom.h"
#include "webhook/admission/dom_node.h"

namespace sessiongate::webhook {
namespace {

using ::sessiongate::testing::pointersUnder;
using ::sessiongate::testing::sameType;

namespace fs = std::filesystem;

std::vector<std::string> messages(const FieldErrors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.message());
  return out;
}

std::string specText(const UserSessionSpec& s) {
  std::string ports;
  for (const auto& p : s.ports) {
    ports += p.name + "/" + p.protocol + "/" + std::to_string(p.targetPort) + "/" + std::to_string(p.port) + ";";
  }
  return s.user + "|" + s.profile + "|" + s.image.value_or("-") + "|" + s.gateway.value_or("-") + "|" +
         (s.storage ? (*s.storage ? "true" : "false") : "-") + "|" + s.ttl.value_or("-") + "|" +
         s.inactivityTimeout.value_or("-") + "|" + (s.hasPublicExposure ? "exposure" : "") + "|" + ports;
}

std::string sessionText(const UserSession& s) {
  return s.name + "|" + s.uid + "|" + s.creationTimestamp + "|" + s.resourceVersion + "|" +
         std::to_string(s.generation) + "|" + (s.deleting ? "deleting" : "") + "|" + specText(s.spec);
}

// sessionsOfFixtures are the object and oldObject of every UserSession review fixture.
std::vector<Json> sessionsOfFixtures() {
  std::vector<Json> out;
  for (const auto& entry : fs::directory_iterator(SESSIONGATE_FIXTURES)) {
    if (!fs::exists(entry.path() / "review.json")) continue;
    Json review = Json::parse(fileText(entry.path() / "review.json").value(), nullptr, false);
    if (review.is_discarded() || !review.contains("request")) continue;
    const Json& request = review["request"];
    if (request.value("kind", Json::object()).value("kind", "") != "UserSession") continue;
    for (const char* name : {"object", "oldObject"}) {
      if (request.contains(name) && request[name].is_object()) out.push_back(request[name]);
    }
  }
  return out;
}

void checkSameReading(const Json& object, const std::string& what) {
  simdjson::dom::parser parser;
  const std::string text = object.dump();
  simdjson::dom::element dom = parser.parse(text);
  SessionParse fromDom = readUserSession(DomNode(dom));
  SessionParse fromJson = parseUserSession(object);
  INFO(what);
  CHECK(messages(fromDom.errors) == messages(fromJson.errors));
  CHECK(sessionText(fromDom.session) == sessionText(fromJson.session));
}

const std::vector<Json>& wrongValues() {
  static const std::vector<Json> values{Json("text"), Json(7),           Json(-1.5),
                                        Json(true),   Json(nullptr),     Json::array(),
                                        Json::array({"a", 1}), Json::object(), Json{{"key", Json::array({1})}},
                                        Json(9223372036854775808ULL)};
  return values;
}

}  // namespace

TEST_CASE("a reviewed UserSession reads the same from the DOM as from an nlohmann copy", "[webhook][session_dom]") {
  const std::vector<Json> objects = sessionsOfFixtures();
  REQUIRE(objects.size() > 20);
  std::size_t readings = 0;
  for (const Json& object : objects) {
    std::vector<Json::json_pointer> pointers;
    pointersUnder(object, Json::json_pointer(), pointers);
    for (const auto& pointer : pointers) {
      for (const Json& wrong : wrongValues()) {
        if (sameType(object.at(pointer), wrong)) continue;
        Json changed = object;
        changed[pointer] = wrong;
        checkSameReading(changed, pointer.to_string() + " = " + wrong.dump());
        ++readings;
      }
    }
  }
  CHECK(readings > 1000);
}

TEST_CASE("a repeated key reads as its last value, as the nlohmann copy kept it", "[webhook][session_dom]") {
  const std::string text =
      R"({"metadata": {"name": "s1"}, "spec": {"user": "mallory", "profile": "p", "user": "alice"}})";
  simdjson::dom::parser parser;
  SessionParse parsed = readUserSession(DomNode(parser.parse(text)));
  CHECK(parsed.errors.empty());
  CHECK(parsed.session.spec.user == "alice");
}

TEST_CASE("sameJson answers as nlohmann's == on the copies", "[webhook][session_dom]") {
  struct Row {
    const char* a;
    const char* b;
    bool same;
  };
  const std::vector<Row> rows{
      {R"({"a": 1, "b": [1, 2]})", R"({"b": [1, 2], "a": 1})", true},
      {R"({"a": 1})", R"({"a": 1.0})", true},
      {R"({"a": 1})", R"({"a": 2})", false},
      {R"({"a": 1})", R"({"a": 1, "b": null})", false},
      {R"({"a": 1, "a": 2})", R"({"a": 2})", true},
      {R"({"a": 1, "a": 2})", R"({"a": 1})", false},
      {R"({"a": 1, "b": 2})", R"({"a": 1, "c": 2})", false},
      {R"([1, 2])", R"([2, 1])", false},
      {R"([1, 2])", R"([1, 2, 3])", false},
      {R"("x")", R"("x")", true},
      {R"("x")", R"("y")", false},
      {R"(true)", R"(true)", true},
      {R"(true)", R"(false)", false},
      {R"(null)", R"(null)", true},
      {R"(null)", R"(false)", false},
      {R"(18446744073709551615)", R"(18446744073709551615)", true},
      {R"(18446744073709551615)", R"(-1)", false},
      {R"(-5)", R"(-5)", true},
      {R"(0.5)", R"(0.5)", true},
      {R"({})", R"([])", false},
      {R"({"a": {"b": [{"c": "d"}]}})", R"({"a": {"b": [{"c": "d"}]}})", true},
      {R"({"a": {"b": [{"c": "d"}]}})", R"({"a": {"b": [{"c": "e"}]}})", false},
  };
  for (const auto& row : rows) {
    INFO(row.a << " vs " << row.b);
    simdjson::dom::parser pa;
    simdjson::dom::parser pb;
    simdjson::dom::element a = pa.parse(std::string(row.a));
    simdjson::dom::element b = pb.parse(std::string(row.b));
    CHECK(sameJson(a, b) == row.same);
    CHECK(sameJson(b, a) == row.same);
    if (std::string(row.b) != "-1") CHECK((toJson(a) == toJson(b)) == row.same);
  }
}

}  // namespace sessiongate::webhook
