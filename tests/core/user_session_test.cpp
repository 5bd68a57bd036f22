#include "core/user_session.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using sessiongate::Json;
using sessiongate::parseUserSession;

namespace {

const std::string kLabel =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

std::vector<std::string> messages(const sessiongate::FieldErrors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.message());
  return out;
}

struct SessionRow {
  const char* what;
  std::string object;  // JSON text
  std::vector<std::string> errors;
};

const std::string kName58(58, 'a');
const std::string kName59(59, 'a');

const std::vector<SessionRow> kSessionRows = {
    {"minimal", R"({"metadata": {"name": "alice-1"}, "spec": {"user": "alice", "profile": "dev"}})", {}},
    {"longest name",
     R"({"metadata": {"name": ")" + kName58 + R"("}, "spec": {"user": "a", "profile": "p"}})",
     {}},
    {"name too long",
     R"({"metadata": {"name": ")" + kName59 + R"("}, "spec": {"user": "a", "profile": "p"}})",
     {"metadata.name: Invalid value: \"" + kName59 +
      "\": must be no more than 58 characters, so that the namespace name sess-<name> fits in 63"}},
    {"name not a label",
     R"({"metadata": {"name": "Alice_Dev"}, "spec": {"user": "a", "profile": "p"}})",
     {"metadata.name: Invalid value: \"Alice_Dev\": " + kLabel}},
    {"no spec", R"({"metadata": {"name": "s"}})", {"spec: Required value"}},
    {"empty spec and metadata",
     R"({"spec": {"user": "", "profile": null}})",
     {"metadata.name: Required value", "spec.user: Required value", "spec.profile: Required value"}},
    {"wrong types and bad durations",
     R"({"metadata": {"name": "s"}, "spec": {"user": 5, "profile": "p", "image": ["x"], "storage": "yes",
        "ttl": "2x", "inactivityTimeout": "-5m"}})",
     {"spec.user: Invalid value: 5: must be of type string",
      "spec.image: Invalid value: [\"x\"]: must be of type string",
      "spec.storage: Invalid value: \"yes\": must be of type boolean",
      "spec.ttl: Invalid value: \"2x\": time: unknown unit \"x\" in duration \"2x\"",
      "spec.inactivityTimeout: Invalid value: \"-5m\": must be positive"}},
    {"bad ports",
     R"({"metadata": {"name": "s"}, "spec": {"user": "u", "profile": "p", "publicExposure": {"ports": [
        {"protocol": "HTTP", "targetPort": 0, "port": 70000}, {"name": "a"}, "x", {"targetPort": "80"},
        {"name": "ok", "protocol": "SCTP", "targetPort": 65535, "port": 0}]}}})",
     {"spec.publicExposure.ports[2]: Invalid value: \"x\": must be of type object",
      "spec.publicExposure.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"TCP\", "
      "\"UDP\", "
      "\"SCTP\"",
      "spec.publicExposure.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
      "spec.publicExposure.ports[0].port: Invalid value: 70000: must be between 0 and 65535, inclusive",
      "spec.publicExposure.ports[1].targetPort: Required value",
      "spec.publicExposure.ports[3].targetPort: Invalid value: \"80\": must be of type integer"}},
    {"exposure not an object",
     R"({"metadata": {"name": "s"}, "spec": {"user": "u", "profile": "p", "publicExposure": []}})",
     {"spec.publicExposure: Invalid value: []: must be of type object"}},
    {"not an object", R"("session")", {"object: Invalid value: \"session\": must be of type object"}},
};

}  // namespace

TEST_CASE("user sessions report every malformed field", "[core][user_session]") {
  for (const auto& row : kSessionRows) {
    INFO(row.what);
    CHECK(messages(parseUserSession(Json::parse(row.object)).errors) == row.errors);
  }
}

TEST_CASE("a full user session parses into the model", "[core][user_session]") {
  const Json object = Json::parse(R"({
    "apiVersion": "sessiongate.io/v1alpha1", "kind": "UserSession",
    "metadata": {"name": "alice-dev", "uid": "0b8e", "creationTimestamp": "2024-05-01T10:00:00Z",
                 "resourceVersion": "7", "generation": 2, "deletionTimestamp": "2024-05-01T11:00:00Z"},
    "spec": {"user": "alice", "profile": "dev", "image": "registry.example.com/lab/x:1", "gateway": "none",
             "storage": false, "ttl": "2h30m", "inactivityTimeout": "45m",
             "publicExposure": {"ports": [{"name": "http", "targetPort": 8080},
                                          {"name": "dns", "protocol": "UDP", "targetPort": 53, "port": 5353}]}},
    "status": {"phase": "Ready", "namespace": "sess-alice-dev"}})");
  const auto parsed = parseUserSession(object);
  REQUIRE(parsed.errors.empty());
  const auto& s = parsed.session;
  CHECK(s.name == "alice-dev");
  CHECK(s.uid == "0b8e");
  CHECK(s.creationTimestamp == "2024-05-01T10:00:00Z");
  CHECK(s.resourceVersion == "7");
  CHECK(s.generation == 2);
  CHECK(s.deleting);
  CHECK(s.spec.user == "alice");
  CHECK(s.spec.profile == "dev");
  CHECK(s.spec.image == std::optional<std::string>("registry.example.com/lab/x:1"));
  CHECK(s.spec.gateway == std::optional<std::string>("none"));
  CHECK(s.spec.storage == std::optional<bool>(false));
  CHECK(s.spec.ttl == std::optional<std::string>("2h30m"));
  CHECK(s.spec.inactivityTimeout == std::optional<std::string>("45m"));
  CHECK(s.spec.hasPublicExposure);
  REQUIRE(s.spec.ports.size() == 2);
  CHECK(s.spec.ports[0].name == "http");
  CHECK(s.spec.ports[0].protocol == "TCP");
  CHECK(s.spec.ports[0].targetPort == 8080);
  CHECK(s.spec.ports[0].port == 0);
  CHECK(s.spec.ports[1].protocol == "UDP");
  CHECK(s.spec.ports[1].port == 5353);
  CHECK(s.status == Json::parse(R"({"phase": "Ready", "namespace": "sess-alice-dev"})"));

  const auto minimal =
      parseUserSession(Json::parse(R"({"metadata": {"name": "m"}, "spec": {"user": "u", "profile": "p"}})"));
  CHECK_FALSE(minimal.session.deleting);
  CHECK_FALSE(minimal.session.spec.storage.has_value());
  CHECK_FALSE(minimal.session.spec.hasPublicExposure);
  CHECK(minimal.session.status.is_null());
}
