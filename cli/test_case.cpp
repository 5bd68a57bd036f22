#include "cli/test_case.h"

#include <algorithm>
#include <set>

#include "core/object_meta.h"

namespace sessiongate::cli {
namespace {

const std::set<std::string, std::less<>> caseFields{
    "name",    "description", "user",     "operation", "object",   "oldObject",   "namespace",
    "objects", "policy",      "endpoint", "expect",    "reinvoke", "subResource", "podName"};
const std::set<std::string, std::less<>> expectFields{
    "allowed", "message",       "messageContains",    "messageNotContains",
    "patch",   "mutatedObject", "mutatedObjectAbsent"};

Result<bool> onlyKnownFields(const Json& object, const std::set<std::string, std::less<>>& known,
                             const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    if (!known.count(key)) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return Error{where + "unknown field \"" + key + "\" (known: " + list + ")"};
    }
  }
  return true;
}

Result<std::string> requiredString(const Json& object, const std::string& field) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_string() || it->get<std::string>().empty()) {
    return Error{field + " is required and must be a non-empty string"};
  }
  return it->get<std::string>();
}

Result<std::vector<std::string>> stringList(const Json& object, const std::string& field) {
  std::vector<std::string> list;
  auto it = object.find(field);
  if (it == object.end()) return list;
  if (!it->is_array()) return Error{field + " must be a list of strings"};
  for (const Json& item : *it) {
    if (!item.is_string()) return Error{field + " must be a list of strings"};
    list.push_back(item.get<std::string>());
  }
  return list;
}

Result<bool> checkKubernetesObject(const Json& object, const std::string& field) {
  if (!object.is_object() || !object.contains("apiVersion") || !object.contains("kind") ||
      metaOf(object).name().empty()) {
    return Error{field + " must be a Kubernetes object with apiVersion, kind and metadata.name"};
  }
  return true;
}

Result<CaseExpectation> parseExpectation(const Json& expect) {
  CaseExpectation e;
  if (!expect.is_object()) return Error{"expect is required and must be a mapping"};
  if (auto r = onlyKnownFields(expect, expectFields, "expect: "); !r) return Error{r.error()};
  if (!expect.contains("allowed") || !expect["allowed"].is_boolean()) {
    return Error{"expect.allowed is required and must be true or false"};
  }
  e.allowed = expect["allowed"].get<bool>();
  if (expect.contains("message")) {
    if (!expect["message"].is_string()) return Error{"expect.message must be a string"};
    e.message = expect["message"].get<std::string>();
  }
  auto contains = stringList(expect, "messageContains");
  if (!contains) return Error{"expect." + contains.error()};
  e.messageContains = *contains;
  auto notContains = stringList(expect, "messageNotContains");
  if (!notContains) return Error{"expect." + notContains.error()};
  e.messageNotContains = *notContains;
  auto absent = stringList(expect, "mutatedObjectAbsent");
  if (!absent) return Error{"expect." + absent.error()};
  e.mutatedObjectAbsent = *absent;
  if (expect.contains("patch")) {
    if (!expect["patch"].is_array()) return Error{"expect.patch must be a list of JSON Patch operations"};
    e.patch = expect["patch"];
  }
  if (expect.contains("mutatedObject")) {
    if (!expect["mutatedObject"].is_object()) return Error{"expect.mutatedObject must be a mapping"};
    e.mutatedObject = expect["mutatedObject"];
  }
  return e;
}

// fillConnect reads a CONNECT case: the options object (PodExecOptions, PodAttachOptions), its pod and
// subresource.
Result<bool> fillConnect(const Json& c, TestCase& out) {
  if (out.subResource.empty() || out.podName.empty()) {
    return Error{"a CONNECT case needs subResource (exec or attach) and podName"};
  }
  if (!c.contains("object") || !c["object"].is_object() || !c["object"].contains("apiVersion") ||
      !c["object"].contains("kind")) {
    return Error{"object is required for CONNECT: the options object with apiVersion and kind"};
  }
  if (c.contains("oldObject")) return Error{"a CONNECT case has no oldObject"};
  out.object = c["object"];
  out.namespace_ = c.value("namespace", std::string());
  if (out.namespace_.empty()) return Error{"namespace is required for CONNECT"};
  return true;
}

// fillRequester reads `user` and the object fields.
Result<bool> fillRequest(const Json& c, TestCase& out) {
  if (!c.contains("user") || !c["user"].is_object()) return Error{"user is required: {username, groups}"};
  auto username = requiredString(c["user"], "username");
  if (!username) return Error{"user." + username.error()};
  out.username = *username;
  auto groups = stringList(c["user"], "groups");
  if (!groups) return Error{"user." + groups.error()};
  out.groups = *groups;

  out.operation = c.value("operation", std::string("CREATE"));
  const std::vector<std::string> operations{"CREATE", "UPDATE", "DELETE", "CONNECT"};
  if (std::find(operations.begin(), operations.end(), out.operation) == operations.end()) {
    return Error{"operation must be CREATE, UPDATE, DELETE or CONNECT, got \"" + out.operation + "\""};
  }
  out.subResource = c.value("subResource", std::string());
  out.podName = c.value("podName", std::string());
  if (out.operation == "CONNECT") return fillConnect(c, out);
  out.endpoint = c.value("endpoint", std::string("both"));
  if (out.endpoint != "both" && out.endpoint != "mutate" && out.endpoint != "validate") {
    return Error{"endpoint must be both, mutate or validate, got \"" + out.endpoint + "\""};
  }
  if (c.contains("object")) {
    if (auto r = checkKubernetesObject(c["object"], "object"); !r) return Error{r.error()};
    out.object = c["object"];
  }
  if (c.contains("oldObject")) {
    if (auto r = checkKubernetesObject(c["oldObject"], "oldObject"); !r) return Error{r.error()};
    out.oldObject = c["oldObject"];
  }
  if (out.operation != "DELETE" && !out.object) return Error{"object is required for " + out.operation};
  if (out.operation == "DELETE" && out.object) return Error{"a DELETE case has oldObject and no object"};
  if (out.operation != "CREATE" && !out.oldObject) return Error{"oldObject is required for " + out.operation};
  if (out.operation == "CREATE" && out.oldObject) return Error{"a CREATE case has no oldObject"};

  const Json& subject = out.object ? *out.object : *out.oldObject;
  out.namespace_ = c.value("namespace", std::string(metaOf(subject).ns()));
  return true;
}

}  // namespace

Result<TestCase> parseTestCase(const SourcedObject& sourced, const std::filesystem::path& caseDir,
                               const std::filesystem::path& defaultPolicy) {
  const Json& c = sourced.object;
  TestCase out;
  out.source = sourced.source;
  auto name = requiredString(c, "name");
  if (!name) return Error{name.error()};
  out.name = *name;
  auto fail = [&](const std::string& message) {
    return Error{sourced.source + ": case " + out.name + ": " + message};
  };
  if (auto r = onlyKnownFields(c, caseFields, ""); !r) return fail(r.error());
  auto description = requiredString(c, "description");
  if (!description) return fail(description.error());
  out.description = *description;
  if (auto r = fillRequest(c, out); !r) return fail(r.error());

  if (c.contains("objects")) {
    if (!c["objects"].is_array()) return fail("objects must be a list of Kubernetes objects");
    for (std::size_t i = 0; i < c["objects"].size(); ++i) {
      std::string field = "objects[" + std::to_string(i) + "]";
      if (auto r = checkKubernetesObject(c["objects"][i], field); !r) return fail(r.error());
      out.objects.push_back(c["objects"][i]);
    }
  }
  if (c.contains("policy")) {
    if (!c["policy"].is_string()) return fail("policy must be a file path relative to the case file");
    out.policyFile = caseDir / c["policy"].get<std::string>();
  } else {
    out.policyFile = defaultPolicy;
  }
  if (c.contains("reinvoke")) {
    if (!c["reinvoke"].is_boolean()) return fail("reinvoke must be true or false");
    out.reinvoke = c["reinvoke"].get<bool>();
  }
  auto expect = parseExpectation(c.contains("expect") ? c["expect"] : Json());
  if (!expect) return fail(expect.error());
  out.expect = std::move(*expect);
  if (out.reinvoke && out.endpoint == "validate") return fail("reinvoke needs the mutate or both endpoint");
  return out;
}

}  // namespace sessiongate::cli
