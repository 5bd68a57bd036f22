#include "core/json_patch.h"

#include <catch2/catch.hpp>

using sessiongate::escapePointerToken;
using sessiongate::Json;
using sessiongate::JsonPatch;
using sessiongate::pointer;
using sessiongate::unescapePointerToken;

TEST_CASE("pointer tokens escape ~ and / (RFC 6901)", "[core][json_patch]") {
  struct Row {
    const char* raw;
    const char* escaped;
  };
  const Row rows[] = {
      {"plain", "plain"}, {"sessiongate.io/user", "sessiongate.io~1user"},
      {"a~b", "a~0b"},    {"~/", "~0~1"},
      {"/~1", "~1~01"},   {"", ""},
  };
  for (const auto& row : rows) {
    INFO("token " << row.raw);
    CHECK(escapePointerToken(row.raw) == row.escaped);
    CHECK(unescapePointerToken(row.escaped) == row.raw);
  }
  CHECK(pointer("metadata", "labels", "sessiongate.io/user") == "/metadata/labels/sessiongate.io~1user");
  CHECK(pointer("spec", "containers", 2, "env", "-") == "/spec/containers/2/env/-");
  CHECK(pointer() == "");
  CHECK(sessiongate::appendToken("/metadata/annotations", "a/b~c") == "/metadata/annotations/a~1b~0c");
}

TEST_CASE("a built patch applies to give the expected document", "[core][json_patch]") {
  const Json pod = Json::parse(R"({
    "metadata": {"name": "worker", "labels": {"app": "lab", "a/b": "x"}},
    "spec": {"containers": [{"name": "app", "image": "lab:1"}]}
  })");
  JsonPatch patch;
  patch.add(pointer("metadata", "labels", "sessiongate.io/user"), "alice")
      .add(pointer("spec", "containers", "-"), Json{{"name", "gateway-sidecar"}})
      .replace(pointer("spec", "containers", 0, "image"), "lab:2")
      .remove(pointer("metadata", "labels", "a/b"))
      .test(pointer("metadata", "name"), "worker");
  CHECK(patch.size() == 5);
  CHECK(patch.dump() == R"([{"op":"add","path":"/metadata/labels/sessiongate.io~1user","value":"alice"},)"
                        R"({"op":"add","path":"/spec/containers/-","value":{"name":"gateway-sidecar"}},)"
                        R"({"op":"replace","path":"/spec/containers/0/image","value":"lab:2"},)"
                        R"({"op":"remove","path":"/metadata/labels/a~1b"},)"
                        R"({"op":"test","path":"/metadata/name","value":"worker"}])");
  const Json expected = Json::parse(R"({
    "metadata": {"name": "worker", "labels": {"app": "lab", "sessiongate.io/user": "alice"}},
    "spec": {"containers": [{"name": "app", "image": "lab:2"}, {"name": "gateway-sidecar"}]}
  })");
  CHECK(pod.patch(patch.toJson()) == expected);
}

TEST_CASE("set emits only the operations needed", "[core][json_patch]") {
  const Json pod = Json::parse(R"({"metadata": {"name": "w", "labels": {"sessiongate.io/user": "alice"}},
                                   "spec": {"containers": [{"name": "app"}]}})");
  struct Row {
    const char* path;
    Json value;
    const char* patch;
  };
  const std::vector<Row> rows = {
      {"/metadata/labels/sessiongate.io~1user", "alice", "[]"},
      {"/metadata/labels/sessiongate.io~1user", "bob",
       R"([{"op":"replace","path":"/metadata/labels/sessiongate.io~1user","value":"bob"}])"},
      {"/metadata/labels/sessiongate.io~1session", "s1",
       R"([{"op":"add","path":"/metadata/labels/sessiongate.io~1session","value":"s1"}])"},
      {"/metadata/annotations/sessiongate.io~1gateway", "corp",
       R"([{"op":"add","path":"/metadata/annotations","value":{"sessiongate.io/gateway":"corp"}}])"},
      {"/spec/dnsConfig/nameservers", Json::array({"10.0.0.53"}),
       R"([{"op":"add","path":"/spec/dnsConfig","value":{"nameservers":["10.0.0.53"]}}])"},
      {"/spec/containers/0/name", "app", "[]"},
      {"/spec/containers/0/resources/limits", Json{{"cpu", "1"}},
       R"([{"op":"add","path":"/spec/containers/0/resources","value":{"limits":{"cpu":"1"}}}])"},
  };
  for (const auto& row : rows) {
    INFO("path " << row.path);
    JsonPatch patch;
    patch.set(pod, row.path, row.value);
    CHECK(patch.dump() == row.patch);
    CHECK(pod.patch(patch.toJson())[Json::json_pointer(row.path)] == row.value);
  }
  JsonPatch none;
  CHECK(none.empty());
  CHECK(none.dump() == "[]");
  JsonPatch both;
  both.set(pod, "/metadata/name", "w").append(JsonPatch().remove("/metadata/labels"));
  CHECK(both.size() == 1);
}
