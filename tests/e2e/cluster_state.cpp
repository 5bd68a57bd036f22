#include "tests/e2e/cluster_state.h"

#include <chrono>
#include <thread>

#include "core/object_loader.h"

namespace sessiongate::e2e {
namespace {

namespace fs = std::filesystem;

// The e2e-only grant: the shipped RBAC (manifests/rbac/users.yaml) gives users no update on UserSessions,
// so without it an UPDATE case would stop at RBAC and never reach the webhook rules it is about.
// webhook_e2e.sh checks separately that RBAC refuses that update when the grant is absent.
const char* siteRbac = R"({"apiVersion":"v1","kind":"List","items":[
 {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding",
  "metadata":{"name":"e2e:sessiongate-admins"},
  "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"sessiongate:admin"},
  "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"sessiongate:admins"}]},
 {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
  "metadata":{"name":"e2e:usersession-updater"},
  "rules":[{"apiGroups":["sessiongate.io"],"resources":["usersessions"],"verbs":["get","update"]}]}]})";

const char* requesterBindingName = "e2e-case-requester";
const char* ephemeralGrantName = "e2e-case-ephemeral-containers";

std::string describe(const ProcessResult& r) {
  return r.err.empty() ? r.out : r.err;
}

void sleepMs(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// sameObjectListed: an UPDATE's oldObject may also be listed among the case's objects.
bool sameObjectListed(const Json& object, const std::vector<Json>& objects) {
  for (const Json& other : objects) {
    if (other.value("kind", "") == object.value("kind", "") &&
        other["metadata"].value("name", "") == object["metadata"].value("name", "") &&
        other["metadata"].value("namespace", "") == object["metadata"].value("namespace", "")) {
      return true;
    }
  }
  return false;
}

}  // namespace

Json stripServerFields(Json object) {
  if (object.contains("metadata") && object["metadata"].is_object()) {
    for (const char* field :
         {"uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
          "deletionGracePeriodSeconds", "managedFields", "selfLink"}) {
      object["metadata"].erase(field);
    }
  }
  object.erase("status");
  return object;
}

Result<bool> ClusterState::installSiteRbac() {
  ProcessResult r = admin_.run({"apply", "-f", "-"}, siteRbac);
  if (r.exitCode != 0) return Error{"cannot install the e2e RBAC: " + describe(r)};
  return true;
}

void ClusterState::remember(const Json& object) {
  std::string kind = object.value("kind", "");
  const Json& meta = object["metadata"];
  if (kind == "SessionPolicy" && meta.value("name", "") != "default")
    extraPolicies_.insert(meta.value("name", ""));
  if (kind == "Pod" || kind == "Service") {
    namespaced_.insert({kind, meta.value("namespace", "default"), meta.value("name", "")});
  }
}

Result<bool> ClusterState::removeLeftovers(const std::set<std::string>& keepNamespaces) {
  for (const std::string& name : finalizedSessions_) {
    admin_.run({"patch", "usersession", name, "--type=merge", "-p", R"({"metadata":{"finalizers":null}})"});
  }
  finalizedSessions_.clear();
  ProcessResult r = admin_.run({"delete", "usersessions", "--all", "--wait=true"});
  if (r.exitCode != 0) return Error{"cannot delete the UserSessions: " + describe(r)};
  for (const auto& [kind, ns, name] : namespaced_) {
    admin_.run({"delete", kind, name, "-n", ns, "--ignore-not-found", "--grace-period=0", "--force"});
  }
  namespaced_.clear();
  for (const std::string& name : extraPolicies_) {
    admin_.run({"delete", "sessionpolicy", name, "--ignore-not-found"});
  }
  extraPolicies_.clear();
  for (const std::string& ns : requesterBindings_) {
    if (ns.empty()) {
      admin_.run({"delete", "clusterrolebinding", requesterBindingName, "--ignore-not-found"});
    } else {
      admin_.run({"delete", "rolebinding", requesterBindingName, "-n", ns, "--ignore-not-found"});
    }
  }
  requesterBindings_.clear();
  for (const std::string& ns : ephemeralGrants_) {
    admin_.run({"delete", "rolebinding,role", ephemeralGrantName, "-n", ns, "--ignore-not-found"});
  }
  ephemeralGrants_.clear();
  for (auto it = namespaces_.begin(); it != namespaces_.end();) {
    if (keepNamespaces.count(*it)) {
      ++it;
      continue;
    }
    admin_.run({"delete", "namespace", *it, "--wait=false", "--ignore-not-found"});
    it = namespaces_.erase(it);
  }
  return true;
}

Result<bool> ClusterState::usePolicy(const fs::path& policyFile) {
  if (policyFile == policyInForce_) return true;
  auto objects = loadObjects(policyFile);
  if (!objects) return Error{objects.error()};
  for (Json policy : *objects) {
    if (policy.value("kind", "") != "SessionPolicy") continue;
    policy["metadata"]["name"] = "default";
    ProcessResult r = admin_.run({"apply", "-f", "-"}, stripServerFields(policy).dump());
    if (r.exitCode != 0) return Error{"cannot apply policy " + policyFile.string() + ": " + describe(r)};
    policyInForce_ = policyFile;
    return true;
  }
  return Error{policyFile.string() + " holds no SessionPolicy"};
}

Result<bool> ClusterState::applyNamespace(const Json& ns) {
  std::string name = ns["metadata"].value("name", "");
  // A namespace of an earlier case may still be terminating; it has to be gone before it can come back.
  for (int i = 0; i < 600; ++i) {
    ProcessResult phase =
        admin_.run({"get", "namespace", name, "-o", "jsonpath={.status.phase}", "--ignore-not-found"});
    if (phase.out != "Terminating") break;
    sleepMs(100);
  }
  ProcessResult r = admin_.run({"apply", "-f", "-"}, stripServerFields(ns).dump());
  if (r.exitCode != 0) return Error{"cannot apply namespace " + name + ": " + describe(r)};
  namespaces_.insert(name);
  // Pods need the namespace's default ServiceAccount (the ServiceAccount admission plugin refuses them
  // before). Not mounting its token keeps the stored pod what the webhook and the offline runner see.
  Json sa{{"apiVersion", "v1"},
          {"kind", "ServiceAccount"},
          {"metadata", {{"name", "default"}, {"namespace", name}}},
          {"automountServiceAccountToken", false}};
  r = admin_.run({"apply", "-f", "-"}, sa.dump());
  if (r.exitCode != 0)
    return Error{"cannot apply the default ServiceAccount of " + name + ": " + describe(r)};
  return true;
}

Result<bool> ClusterState::createObject(const Json& object) {
  std::string kind = object.value("kind", "");
  if (kind == "Namespace") return applyNamespace(object);
  const Json& meta = object["metadata"];
  std::string name = meta.value("name", "");
  if (kind == "UserSession") {
    ProcessResult r = sessionAdmin_.run({"create", "-f", "-"}, stripServerFields(object).dump());
    if (r.exitCode != 0) return Error{"cannot create UserSession " + name + " as carol: " + describe(r)};
    if (meta.contains("finalizers")) finalizedSessions_.insert(name);
    if (meta.contains("deletionTimestamp")) {
      // A session being deleted: its finalizer holds it, with deletionTimestamp set by the API server.
      r = admin_.run({"delete", "usersession", name, "--wait=false"});
      if (r.exitCode != 0) return Error{"cannot start deleting UserSession " + name + ": " + describe(r)};
    }
    return true;
  }
  ProcessResult r = admin_.run({"create", "-f", "-"}, stripServerFields(object).dump());
  if (r.exitCode != 0) return Error{"cannot create " + kind + " " + name + ": " + describe(r)};
  remember(object);
  return true;
}

Result<bool> ClusterState::grantRequester(const cli::TestCase& testCase) {
  if (testCase.username == "admin") return true;
  Json subject{{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "User"}, {"name", testCase.username}};
  bool namespaceExists =
      !testCase.namespace_.empty() &&
      !admin_.run({"get", "namespace", testCase.namespace_, "--ignore-not-found", "-o", "name"}).out.empty();
  if (namespaceExists) {
    // What the controller gives a session's owner (sessiongate:session-user in sess-<name>), given to whoever
    // the case says.
    Json binding{
        {"apiVersion", "rbac.authorization.k8s.io/v1"},
        {"kind", "RoleBinding"},
        {"metadata", {{"name", requesterBindingName}, {"namespace", testCase.namespace_}}},
        {"roleRef",
         {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "ClusterRole"}, {"name", "sessiongate:session-user"}}},
        {"subjects", Json::array({subject})}};
    ProcessResult r = admin_.run({"apply", "-f", "-"}, binding.dump());
    if (r.exitCode != 0)
      return Error{"cannot grant sessiongate:session-user in " + testCase.namespace_ + ": " + describe(r)};
    requesterBindings_.insert(testCase.namespace_);
  }
  if (namespaceExists && testCase.subResource == "ephemeralcontainers") {
    // sessiongate:session-user does not include pods/ephemeralcontainers (kubectl debug); a platform that
    // grants it must still find the gateway untouchable: the case is about what the webhook does then.
    Json grant{
        {"apiVersion", "v1"},
        {"kind", "List"},
        {"items",
         {{{"apiVersion", "rbac.authorization.k8s.io/v1"},
           {"kind", "Role"},
           {"metadata", {{"name", ephemeralGrantName}, {"namespace", testCase.namespace_}}},
           {"rules",
            {{{"apiGroups", {""}},
              {"resources", {"pods/ephemeralcontainers"}},
              {"verbs", {"get", "update", "patch"}}}}}},
          {{"apiVersion", "rbac.authorization.k8s.io/v1"},
           {"kind", "RoleBinding"},
           {"metadata", {{"name", ephemeralGrantName}, {"namespace", testCase.namespace_}}},
           {"roleRef",
            {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Role"}, {"name", ephemeralGrantName}}},
           {"subjects", Json::array({subject})}}}}};
    ProcessResult r = admin_.run({"apply", "-f", "-"}, grant.dump());
    if (r.exitCode != 0) {
      return Error{"cannot grant pods/ephemeralcontainers in " + testCase.namespace_ + ": " + describe(r)};
    }
    ephemeralGrants_.insert(testCase.namespace_);
  }
  const Json& subjectObject = testCase.object ? *testCase.object : *testCase.oldObject;
  if (testCase.operation == "UPDATE" && subjectObject.value("kind", "") == "UserSession") {
    Json binding{{"apiVersion", "rbac.authorization.k8s.io/v1"},
                 {"kind", "ClusterRoleBinding"},
                 {"metadata", {{"name", requesterBindingName}}},
                 {"roleRef",
                  {{"apiGroup", "rbac.authorization.k8s.io"},
                   {"kind", "ClusterRole"},
                   {"name", "e2e:usersession-updater"}}},
                 {"subjects", Json::array({subject})}};
    ProcessResult r = admin_.run({"apply", "-f", "-"}, binding.dump());
    if (r.exitCode != 0) return Error{"cannot grant update on usersessions: " + describe(r)};
    requesterBindings_.insert("");
  }
  return true;
}

Result<bool> ClusterState::prepare(const cli::TestCase& testCase) {
  std::set<std::string> caseNamespaces;
  for (const Json& object : testCase.objects) {
    if (object.value("kind", "") == "Namespace") caseNamespaces.insert(object["metadata"].value("name", ""));
  }
  if (auto r = removeLeftovers(caseNamespaces); !r) return r;
  if (auto r = usePolicy(testCase.policyFile); !r) return r;
  // Namespaces first: the pods and services of objects live in them.
  for (const Json& object : testCase.objects) {
    if (object.value("kind", "") == "Namespace") {
      if (auto r = createObject(object); !r) return r;
    }
  }
  for (const Json& object : testCase.objects) {
    if (object.value("kind", "") != "Namespace") {
      if (auto r = createObject(object); !r) return r;
    }
  }
  if (testCase.oldObject && !sameObjectListed(*testCase.oldObject, testCase.objects)) {
    if (auto r = createObject(*testCase.oldObject); !r) return Error{"oldObject: " + r.error()};
  }
  return grantRequester(testCase);
}

void ClusterState::cleanUp() {
  removeLeftovers({});
}

}  // namespace sessiongate::e2e
