// The pod mutation as tables of container and pod shapes, against the cluster of fixtures/_cluster (session
// alice-1: profile standard with requests and limits, gateway vpn, storage): what it does not own survives,
// and a pod it cannot write into is refused with the field path, never patched wrongly. Each patch is
// applied strictly (as the API server applies it) and the patched pod, mutated again, gets no patch.
#include <catch2/catch.hpp>

#include "core/cluster_files.h"
#include "core/json_patch_apply.h"
#include "webhook/admission/response.h"
#include "webhook/admission/reviewer.h"

namespace sessiongate::webhook {
namespace {

std::unique_ptr<MemoryClusterView> fixtureCluster() {
  auto view = std::make_unique<MemoryClusterView>();
  auto files = loadClusterFiles({std::filesystem::path(SESSIONGATE_FIXTURES) / "_cluster"}, "default");
  REQUIRE(files.ok());
  applyClusterFiles(*files, *view);
  return view;
}

std::string reviewOf(const Json& pod) {
  Json review = {{"apiVersion", "admission.k8s.io/v1"},
                 {"kind", "AdmissionReview"},
                 {"request",
                  {{"uid", "uid-shape"},
                   {"kind", {{"group", ""}, {"version", "v1"}, {"kind", "Pod"}}},
                   {"resource", {{"group", ""}, {"version", "v1"}, {"resource", "pods"}}},
                   {"operation", "CREATE"},
                   {"userInfo", {{"username", "alice"}}},
                   {"name", "worker"},
                   {"namespace", "sess-alice-1"},
                   {"object", pod}}}};
  return review.dump();
}

Json podWith(const Json& container) {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", "worker"}, {"namespace", "sess-alice-1"}}},
          {"spec", {{"containers", Json::array({container})}}}};
}

// mutated is the pod after the mutation's patch, applied strictly.
Json mutated(const Reviewer& reviewer, const Json& pod) {
  ReviewAnswer answer = reviewer(Endpoint::Mutate, reviewOf(pod));
  REQUIRE(answer.status == 200);
  REQUIRE(answer.decision == "patched");
  Json response = Json::parse(answer.body)["response"];
  auto patchedPod = applyJsonPatch(pod, Json::parse(base64Decode(response["patch"].get<std::string>())));
  INFO((patchedPod.ok() ? std::string() : patchedPod.error()));
  REQUIRE(patchedPod.ok());
  return *patchedPod;
}

const char* const kRequests = R"({"cpu":"500m","memory":"1Gi"})";
const char* const kLimits = R"({"cpu":"2","memory":"4Gi"})";
const char* const kMount = R"({"name":"mydrive","mountPath":"/media/mydrive","readOnly":false})";

struct ContainerRow {
  const char* name;
  const char* container;  // spec.containers[0] as the user wrote it
  const char* expected;   // spec.containers[0] after the mutation; $R, $L, $M stand for requests, limits, mount
};

const ContainerRow kContainers[] = {
    {"no resources: the profile's", R"({"name":"app"})", R"({"name":"app","resources":{"requests":$R,"limits":$L},"volumeMounts":[$M]})"},
    {"resources null: the profile's", R"({"name":"app","resources":null})",
     R"({"name":"app","resources":{"requests":$R,"limits":$L},"volumeMounts":[$M]})"},
    {"empty resources: requests and limits added", R"({"name":"app","resources":{}})",
     R"({"name":"app","resources":{"requests":$R,"limits":$L},"volumeMounts":[$M]})"},
    {"claims only: claims kept", R"({"name":"app","resources":{"claims":[{"name":"gpu"}]}})",
     R"({"name":"app","resources":{"claims":[{"name":"gpu"}],"requests":$R,"limits":$L},"volumeMounts":[$M]})"},
    {"claims with empty requests: requests replaced, claims kept",
     R"({"name":"app","resources":{"claims":[{"name":"gpu","request":"a"}],"requests":{}}})",
     R"({"name":"app","resources":{"claims":[{"name":"gpu","request":"a"}],"requests":$R,"limits":$L},"volumeMounts":[$M]})"},
    {"claims with empty limits and requests", R"({"name":"app","resources":{"claims":[{"name":"gpu"}],"limits":{},"requests":{}}})",
     R"({"name":"app","resources":{"claims":[{"name":"gpu"}],"requests":$R,"limits":$L},"volumeMounts":[$M]})"},
    {"a member the mutation does not know survives", R"({"name":"app","resources":{"future":{"x":1}}})",
     R"({"name":"app","resources":{"future":{"x":1},"requests":$R,"limits":$L},"volumeMounts":[$M]})"},
    {"own requests: resources untouched", R"({"name":"app","resources":{"requests":{"cpu":"1"},"claims":[{"name":"gpu"}]}})",
     R"({"name":"app","resources":{"requests":{"cpu":"1"},"claims":[{"name":"gpu"}]},"volumeMounts":[$M]})"},
    {"own limits: resources untouched", R"({"name":"app","resources":{"limits":{"memory":"1Gi"}}})",
     R"({"name":"app","resources":{"limits":{"memory":"1Gi"}},"volumeMounts":[$M]})"},
    {"other container fields survive",
     R"({"name":"app","image":"lab:1","env":[{"name":"A","value":"1"}],"ports":[{"containerPort":8888}],"resizePolicy":[{"resourceName":"cpu","restartPolicy":"NotRequired"}],"securityContext":{"runAsNonRoot":true}})",
     R"({"name":"app","image":"lab:1","env":[{"name":"A","value":"1"}],"ports":[{"containerPort":8888}],"resizePolicy":[{"resourceName":"cpu","restartPolicy":"NotRequired"}],"securityContext":{"runAsNonRoot":true},"resources":{"requests":$R,"limits":$L},"volumeMounts":[$M]})"},
    {"existing mounts kept, the drive appended", R"({"name":"app","volumeMounts":[{"name":"data","mountPath":"/data"}],"resources":{"requests":{"cpu":"1"}}})",
     R"({"name":"app","volumeMounts":[{"name":"data","mountPath":"/data"},$M],"resources":{"requests":{"cpu":"1"}}})"},
    {"volumeMounts null: replaced by the drive", R"({"name":"app","volumeMounts":null,"resources":{"limits":{"cpu":"1"}}})",
     R"({"name":"app","volumeMounts":[$M],"resources":{"limits":{"cpu":"1"}}})"},
};

std::string expand(std::string text) {
  const std::pair<const char*, const char*> values[] = {{"$R", kRequests}, {"$L", kLimits}, {"$M", kMount}};
  for (const auto& [key, value] : values) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) text.replace(at, 2, value);
  }
  return text;
}

struct MalformedRow {
  const char* name;
  const char* pod;
  const char* message;  // the denial's status.message
};

const MalformedRow kMalformed[] = {
    {"a container that is a string", R"({"metadata":{},"spec":{"containers":["desktop"]}})",
     "spec.containers[0]: Invalid value: string: must be an object"},
    {"containers that are an object", R"({"metadata":{},"spec":{"containers":{"name":"app"}}})",
     "spec.containers: Invalid value: object: must be an array"},
    {"no containers", R"({"metadata":{},"spec":{}})", "spec.containers: Required value"},
    {"no spec", R"({"metadata":{}})", "spec: Required value"},
    {"spec that is an array", R"({"metadata":{},"spec":[]})", "spec: Invalid value: array: must be an object"},
    {"no metadata", R"({"spec":{"containers":[{"name":"app"}]}})", "metadata: Required value"},
    {"labels that are a string", R"({"metadata":{"labels":"x"},"spec":{"containers":[{"name":"app"}]}})",
     "metadata.labels: Invalid value: string: must be an object"},
    {"resources that are a number", R"({"metadata":{},"spec":{"containers":[{"name":"app","resources":5}]}})",
     "spec.containers[0].resources: Invalid value: number: must be an object"},
    {"requests that are a list", R"({"metadata":{},"spec":{"containers":[{"name":"app","resources":{"requests":[]}}]}})",
     "spec.containers[0].resources.requests: Invalid value: array: must be an object"},
    {"volumeMounts that are an object", R"({"metadata":{},"spec":{"containers":[{"name":"app","volumeMounts":{}}]}})",
     "spec.containers[0].volumeMounts: Invalid value: object: must be an array"},
    {"an init container that is a boolean", R"({"metadata":{},"spec":{"containers":[{"name":"app"}],"initContainers":[true]}})",
     "spec.initContainers[0]: Invalid value: boolean: must be an object"},
    {"volumes and dnsConfig of the wrong type",
     R"({"metadata":{},"spec":{"containers":[{"name":"app"}],"volumes":"v","dnsConfig":{"nameservers":"1.1.1.1"}}})",
     "[spec.volumes: Invalid value: string: must be an array, spec.dnsConfig.nameservers: Invalid value: string: must be an array]"},
    {"every container checked", R"({"metadata":{},"spec":{"containers":[{"name":"app"},1,{"resources":"r"}]}})",
     "[spec.containers[1]: Invalid value: number: must be an object, spec.containers[2].resources: Invalid value: string: must be an object]"},
};

}  // namespace

TEST_CASE("the pod mutation keeps the container fields it does not own", "[webhook][mutate]") {
  auto view = fixtureCluster();
  Reviewer reviewer(*view);
  for (const ContainerRow& row : kContainers) {
    DYNAMIC_SECTION(row.name) {
      Json pod = mutated(reviewer, podWith(Json::parse(row.container)));
      CHECK(pod["spec"]["containers"][0] == Json::parse(expand(row.expected)));
      ReviewAnswer again = reviewer(Endpoint::Mutate, reviewOf(pod));
      CHECK(again.decision == "allowed");
    }
  }
}

TEST_CASE("a pod the mutation cannot write into is refused with its field path", "[webhook][mutate]") {
  auto view = fixtureCluster();
  Reviewer reviewer(*view);
  for (const MalformedRow& row : kMalformed) {
    DYNAMIC_SECTION(row.name) {
      const std::string body = reviewOf(Json::parse(row.pod));
      for (ReviewAnswer answer : {reviewer(Endpoint::Mutate, body), reviewer.both(body)}) {
        REQUIRE(answer.status == 200);
        CHECK(answer.decision == "denied");
        Json response = Json::parse(answer.body)["response"];
        CHECK(response == Json{{"uid", "uid-shape"},
                               {"allowed", false},
                               {"status", {{"code", 403}, {"reason", "Forbidden"}, {"message", row.message}}}});
      }
    }
  }
}

}  // namespace sessiongate::webhook
