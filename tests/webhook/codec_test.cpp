// Review codec pieces that the fixture table does not show directly: base64 of patches and the response
// encoding of every decision helper.
#include <catch2/catch.hpp>

#include "core/json.h"
#include "core/json_patch.h"
#include "webhook/admission/decision.h"
#include "webhook/admission/json_text.h"
#include "webhook/admission/response.h"

namespace sessiongate::webhook {

TEST_CASE("base64 encodes and decodes as RFC 4648", "[webhook][codec]") {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
      {"[{\"op\":\"add\"}]", "W3sib3AiOiJhZGQifV0="}};
  for (const auto& [plain, encoded] : table) {
    CHECK(base64Encode(plain) == encoded);
    CHECK(base64Decode(encoded) == plain);
  }
  CHECK(base64Decode("not*base64") == "");
}

TEST_CASE("responses encode every decision helper", "[webhook][codec]") {
  const std::string head = R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":)";
  CHECK(encodeResponse("u1", allowed()) == head + R"({"uid":"u1","allowed":true}})");
  CHECK(allowed().label() == std::string("allowed"));

  FieldErrors errors{forbidden(FieldPath("spec").child("user"), "no"),
                     duplicate(FieldPath("spec").child("port"), 80)};
  Decision no = denied(errors);
  CHECK(no.label() == std::string("denied"));
  CHECK(encodeResponse("u2", no) ==
        head + R"({"uid":"u2","allowed":false,"status":{"code":403,"reason":"Forbidden",)" +
            R"("message":"[spec.user: Forbidden: no, spec.port: Duplicate value: 80]"}}})");

  Decision yes = withWarnings(
      patchedText(R"([{"op":"add","path":")" + pointer("metadata", "labels", "sessiongate.io/user") + R"(","value":"alice"}])"),
      {"storage is read-only"});
  CHECK(yes.label() == std::string("patched"));
  Json response = Json::parse(encodeResponse("u3", yes))["response"];
  CHECK(response["patchType"] == "JSONPatch");
  CHECK(Json::parse(base64Decode(response["patch"].get<std::string>())) ==
        Json::parse(R"([{"op":"add","path":"/metadata/labels/sessiongate.io~1user","value":"alice"}])"));
  CHECK(response["warnings"] == Json::array({"storage is read-only"}));
  CHECK(patchedText("[]").label() == std::string("allowed"));
  CHECK(patchedText("").label() == std::string("allowed"));

  Decision failed = errored(500, "internal \"error\"");
  CHECK(failed.label() == std::string("error"));
  CHECK(encodeResponse("u4", failed) ==
        head + R"({"uid":"u4","allowed":false,"status":{"code":500,"message":"internal \"error\""}}})");
}

}  // namespace sessiongate::webhook

namespace sessiongate::webhook {

TEST_CASE("JSON strings written by hand escape like a JSON library", "[webhook][codec]") {
  const std::vector<std::string> table = {"",
                                          "plain",
                                          "quote \" and backslash \\",
                                          "tab\tnew\nline\x01",
                                          "utf-8 caf\xc3\xa9 \xe2\x9c\x93",
                                          "sessiongate.io/user"};
  for (const auto& text : table) {
    CHECK(Json::parse(jsonString(text)) == text);
  }
  CHECK(jsonString("a\"b\x1f") == "\"a\\\"b\\u001f\"");
}

}  // namespace sessiongate::webhook

#include "webhook/admission/dom.h"
#include "webhook/admission/request.h"

namespace sessiongate::webhook {

TEST_CASE("retryLater refuses with 503 ServiceUnavailable", "[webhook][codec]") {
  Decision later = retryLater("the session is not known yet, retry");
  CHECK(later.label() == std::string("denied"));
  CHECK(!later.allowed());
  CHECK(
      encodeResponse("u5", later) ==
      R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"u5","allowed":false,)"
      R"("status":{"code":503,"reason":"ServiceUnavailable","message":"the session is not known yet, retry"}}})");
}

TEST_CASE("CONNECT reviews decode with their options object and subresource", "[webhook][codec]") {
  const std::string body = R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
    "uid":"c1","kind":{"group":"","version":"v1","kind":"PodExecOptions"},
    "resource":{"group":"","version":"v1","resource":"pods"},"subResource":"exec","name":"worker",
    "namespace":"sess-a","operation":"CONNECT","userInfo":{"username":"alice"},
    "object":{"kind":"PodExecOptions","apiVersion":"v1","stdin":true,"container":"gateway-sidecar","command":["sh"]}}})";
  auto request = decodeReview(body);
  REQUIRE(request.ok());
  CHECK(request->operation == "CONNECT");
  CHECK(request->kind.kind == "PodExecOptions");
  CHECK(request->resource.resource == "pods");
  CHECK(request->subResource == "exec");
  CHECK(request->name == "worker");
  REQUIRE(request->object);
  CHECK(stringMember(*request->object, "container") == "gateway-sidecar");
  CHECK(!request->oldObject);
}

TEST_CASE("UPDATE reviews decode the stored object as oldObject", "[webhook][codec]") {
  const std::string body = R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
    "uid":"u1","kind":{"group":"","version":"v1","kind":"Pod"},
    "resource":{"group":"","version":"v1","resource":"pods"},"subResource":"ephemeralcontainers",
    "namespace":"sess-a","operation":"UPDATE","userInfo":{"username":"alice"},
    "object":{"metadata":{"name":"new"}},"oldObject":{"metadata":{"name":"old"}}}})";
  auto request = decodeReview(body);
  REQUIRE(request.ok());
  CHECK(request->subResource == "ephemeralcontainers");
  REQUIRE(request->object);
  REQUIRE(request->oldObject);
  CHECK(toJson(*request->oldObject) == Json::parse(R"({"metadata":{"name":"old"}})"));
  CHECK(toJson(*request->object) == Json::parse(R"({"metadata":{"name":"new"}})"));
}

}  // namespace sessiongate::webhook
