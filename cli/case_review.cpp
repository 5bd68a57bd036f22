#include "cli/case_review.h"

#include <cctype>
#include <cstdio>

#include "core/cluster_files.h"
#include "core/object_meta.h"
#include "core/user_session.h"

namespace sessiongate::cli {
namespace {

Result<NamespaceInfo> namespaceOf(const Json& object) {
  NamespaceInfo ns;
  const ObjectMeta meta(object);
  ns.name = meta.name();
  for (const auto& [key, value] : meta.labels().items()) {
    if (!value.is_string()) return Error{"Namespace " + ns.name + ": label " + key + " must be a string"};
    ns.labels[key] = value.get<std::string>();
  }
  return ns;
}

Result<bool> addObject(const Json& object, std::size_t index, MemoryClusterView& view) {
  std::string kind = object.value("kind", std::string());
  std::string where = "objects[" + std::to_string(index) + "]";
  if (kind == "UserSession") {
    SessionParse parsed = parseUserSession(object);
    if (!parsed.errors.empty()) return Error{where + ": invalid UserSession: " + aggregate(parsed.errors)};
    view.upsertSession(std::move(parsed.session));
    return true;
  }
  if (kind == "Namespace") {
    auto ns = namespaceOf(object);
    if (!ns) return Error{where + ": " + ns.error()};
    view.upsertNamespace(std::move(*ns));
    return true;
  }
  // A Pod in objects is what a CONNECT or subresource case acts on: the e2e creates it, the rules read none.
  if (kind == "Pod") return true;
  return Error{where + ": kind " + kind +
               " is not cluster state the rules read (UserSession, Namespace or Pod)"};
}

// uidOf is a stable UUID-shaped uid from the case name (FNV-1a), so reruns print identical reviews.
std::string uidOf(const std::string& name) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : name) hash = (hash ^ c) * 1099511628211ULL;
  char text[40];
  std::snprintf(text, sizeof(text), "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(hash & 0xffffffffffffULL));
  return text;
}

}  // namespace

std::string resourceOf(const std::string& kind) {
  std::string plural;
  for (char c : kind) plural += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!plural.empty() && plural.back() == 'y') return plural.substr(0, plural.size() - 1) + "ies";
  if (!plural.empty() && plural.back() == 's') return plural + "es";
  return plural + "s";
}

Result<std::unique_ptr<MemoryClusterView>> buildClusterView(const TestCase& testCase) {
  auto files = loadClusterFiles({testCase.policyFile}, "default");
  if (!files) return Error{files.error()};
  auto view = std::make_unique<MemoryClusterView>();
  applyClusterFiles(*files, *view);
  for (std::size_t i = 0; i < testCase.objects.size(); ++i) {
    if (auto r = addObject(testCase.objects[i], i, *view); !r) return Error{r.error()};
  }
  return view;
}

Json buildReview(const TestCase& testCase, const Json* objectOverride) {
  const Json* object = objectOverride ? objectOverride : (testCase.object ? &*testCase.object : nullptr);
  const Json& subject = object ? *object : *testCase.oldObject;
  std::string apiVersion = subject["apiVersion"].get<std::string>();
  std::string kind = subject["kind"].get<std::string>();
  auto slash = apiVersion.find('/');
  std::string group = slash == std::string::npos ? "" : apiVersion.substr(0, slash);
  std::string version = slash == std::string::npos ? apiVersion : apiVersion.substr(slash + 1);
  Json gvk = {{"group", group}, {"version", version}, {"kind", kind}};
  const bool connect = testCase.operation == "CONNECT";
  // Options objects (PodExecOptions, ...) are reviewed as a subresource of their pod.
  Json gvr = {{"group", group}, {"version", version}, {"resource", connect ? "pods" : resourceOf(kind)}};

  Json request = {
      {"uid", uidOf(testCase.name)},
      {"kind", gvk},
      {"resource", gvr},
      {"requestKind", gvk},
      {"requestResource", gvr},
      {"name", connect ? Json(testCase.podName) : Json(metaOf(subject).name())},
      {"operation", testCase.operation},
      {"userInfo", {{"username", testCase.username}, {"groups", testCase.groups}}},
      {"object", object ? *object : Json()},
      {"oldObject", testCase.oldObject ? *testCase.oldObject : Json()},
      {"dryRun", false},
  };
  if (!testCase.namespace_.empty()) request["namespace"] = testCase.namespace_;
  if (!testCase.subResource.empty()) {
    request["subResource"] = testCase.subResource;
    request["requestSubResource"] = testCase.subResource;
  }
  return {
      {"apiVersion", "admission.k8s.io/v1"}, {"kind", "AdmissionReview"}, {"request", std::move(request)}};
}

}  // namespace sessiongate::cli
