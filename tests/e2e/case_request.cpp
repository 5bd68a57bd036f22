#include "tests/e2e/case_request.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "cli/json_subset.h"
#include "tests/e2e/cluster_state.h"

namespace sessiongate::e2e {
namespace {

// Which of manifests/webhook's webhooks may answer for a kind (pods: the mutating one can deny as well).
const std::map<std::string, std::vector<std::string>> webhooksOfKind{
    {"UserSession", {"usersessions.validate.sessiongate.io"}},
    {"SessionPolicy", {"sessionpolicies.validate.sessiongate.io"}},
    {"Service", {"services.validate.sessiongate.io"}},
    {"Pod", {"pods.mutate.sessiongate.io", "pods.validate.sessiongate.io"}},
    {"PodExecOptions", {"pods-connect.validate.sessiongate.io"}},
    {"PodAttachOptions", {"pods-connect.validate.sessiongate.io"}},
};

const std::string deniedMarker = "\" denied the request: ";

std::string lowerKind(const Json& object) {
  std::string kind = object.value("kind", "");
  for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return kind;
}

std::vector<std::string> namespaceArgs(const cli::TestCase& testCase) {
  if (testCase.namespace_.empty()) return {};
  return {"-n", testCase.namespace_};
}

std::optional<Json> readBack(const Kubectl& admin, const Json& object, const cli::TestCase& testCase) {
  std::vector<std::string> args{"get", lowerKind(object), object["metadata"].value("name", ""), "-o", "json"};
  auto ns = namespaceArgs(testCase);
  args.insert(args.end(), ns.begin(), ns.end());
  ProcessResult r = admin.run(args);
  if (r.exitCode != 0) return std::nullopt;
  return Json::parse(r.out, nullptr, false);
}

// webhookDenial splits kubectl's `admission webhook "NAME" denied the request: MESSAGE` into name and
// message.
std::optional<std::pair<std::string, std::string>> webhookDenial(const std::string& kubectlError) {
  const std::string opener = "admission webhook \"";
  auto start = kubectlError.find(opener);
  if (start == std::string::npos) return std::nullopt;
  auto nameStart = start + opener.size();
  auto marker = kubectlError.find(deniedMarker, nameStart);
  if (marker == std::string::npos) return std::nullopt;
  std::string message = kubectlError.substr(marker + deniedMarker.size());
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  return std::make_pair(kubectlError.substr(nameStart, marker - nameStart), message);
}

std::optional<std::string> checkDenial(const cli::TestCase& testCase, const Observed& observed) {
  const Json& subject = testCase.object ? *testCase.object : *testCase.oldObject;
  auto denial = webhookDenial(observed.kubectlError);
  if (!denial) return "expected a denial by the webhook, kubectl showed: " + observed.kubectlError;
  const auto& [webhook, message] = *denial;
  auto names = webhooksOfKind.find(subject.value("kind", ""));
  if (names == webhooksOfKind.end() ||
      std::find(names->second.begin(), names->second.end(), webhook) == names->second.end()) {
    return "denied by unexpected webhook \"" + webhook + "\"";
  }
  const cli::CaseExpectation& expect = testCase.expect;
  if (expect.message && message != *expect.message) {
    return "expected message '" + *expect.message + "', kubectl showed '" + message + "'";
  }
  for (const std::string& part : expect.messageContains) {
    if (message.find(part) == std::string::npos) return "message lacks '" + part + "': '" + message + "'";
  }
  for (const std::string& part : expect.messageNotContains) {
    if (message.find(part) != std::string::npos) return "message has '" + part + "': '" + message + "'";
  }
  return std::nullopt;
}

std::optional<std::string> checkStored(const cli::TestCase& testCase, const Observed& observed) {
  const cli::CaseExpectation& expect = testCase.expect;
  bool checksStored = expect.patch || expect.mutatedObject || !expect.mutatedObjectAbsent.empty();
  if (!checksStored || testCase.operation == "DELETE") return std::nullopt;
  if (!observed.stored) return "the API server has no stored object to read back";
  const Json& stored = *observed.stored;
  if (expect.patch) {
    // What the server stored must hold the submitted object with the expected patch applied (the server
    // only adds defaults such as imagePullPolicy, which a subset comparison allows).
    Json expected;
    try {
      expected = stripServerFields(*testCase.object).patch(*expect.patch);
    } catch (const std::exception& e) {
      return std::string("the expected patch does not apply to the object: ") + e.what();
    }
    if (auto diff = cli::subsetMismatch(expected, stored)) return "stored object vs object+patch: " + *diff;
  }
  if (expect.mutatedObject) {
    if (auto diff = cli::subsetMismatch(*expect.mutatedObject, stored)) return "stored object: " + *diff;
  }
  for (const std::string& pointer : expect.mutatedObjectAbsent) {
    if (stored.contains(Json::json_pointer(pointer)))
      return "stored object has " + pointer + ", expected none";
  }
  return std::nullopt;
}

// podsPath is the API path of the case's pod, e.g. /api/v1/namespaces/sess-a/pods/worker.
std::string podsPath(const cli::TestCase& testCase, const std::string& pod) {
  return "/api/v1/namespaces/" + testCase.namespace_ + "/pods/" + pod;
}

// connectArgs: exec and attach are POSTed raw, with the options as query parameters, so that a case can also
// send no container name (kubectl exec always fills one in). Admission runs before the API server looks for
// the pod's node, so a request the webhook lets through fails afterwards with "does not have a host
// assigned" on this control plane without nodes: allowed means "not denied by admission" here.
std::vector<std::string> connectArgs(const cli::TestCase& testCase) {
  const Json& options = *testCase.object;
  std::string query = "?command=sh&stdout=true";
  std::string container = options.value("container", "");
  if (!container.empty()) query += "&container=" + container;
  return {"create", "--raw", podsPath(testCase, testCase.podName) + "/" + testCase.subResource + query, "-f",
          "-"};
}

// podUpdate sends an UPDATE of a pod as the difference between oldObject and object (a JSON patch), applied
// by the API server to the stored pod, which carries what the server added on creation (default tolerations,
// priority, ...); sending the case's object whole would be refused by the API server's own pod update rules
// before admission. The ephemeralcontainers subresource takes the whole stored pod with the case's
// ephemeral containers (kubectl debug does the same).
std::pair<std::vector<std::string>, std::string> podUpdate(const cli::TestCase& testCase,
                                                           const Kubectl& admin) {
  const std::string name = (*testCase.object)["metadata"].value("name", "");
  if (testCase.subResource == "ephemeralcontainers") {
    Json stored = readBack(admin, *testCase.object, testCase).value_or(Json::object());
    stored["spec"]["ephemeralContainers"] =
        (*testCase.object)["spec"].value("ephemeralContainers", Json::array());
    return {{"replace", "--raw", podsPath(testCase, name) + "/ephemeralcontainers", "-f", "-"},
            stored.dump()};
  }
  Json diff = Json::diff(stripServerFields(*testCase.oldObject), stripServerFields(*testCase.object));
  return {{"patch", "pod", name, "--type=json", "-p", diff.dump(), "-o", "json"}, ""};
}

}  // namespace

Observed performRequest(const cli::TestCase& testCase, const Kubectl& user, const Kubectl& admin) {
  Observed observed;
  std::vector<std::string> args;
  std::string input;
  const std::string kind = (testCase.object ? *testCase.object : *testCase.oldObject).value("kind", "");
  if (testCase.operation == "CONNECT") {
    args = connectArgs(testCase);
  } else if (testCase.operation == "UPDATE" && kind == "Pod") {
    std::tie(args, input) = podUpdate(testCase, admin);
  } else if (testCase.operation == "DELETE") {
    args = {"delete", lowerKind(*testCase.oldObject), (*testCase.oldObject)["metadata"].value("name", ""),
            "--wait=false"};
  } else {
    Json object = stripServerFields(*testCase.object);
    if (testCase.operation == "UPDATE") {
      // A custom resource takes no unconditional update: send the stored resourceVersion, as kubectl edit
      // does.
      if (auto old = readBack(admin, object, testCase)) {
        object["metadata"]["resourceVersion"] = (*old)["metadata"].value("resourceVersion", "");
      }
      args = {"replace", "-f", "-", "-o", "json"};
    } else {
      args = {"create", "-f", "-", "-o", "json"};
    }
    input = object.dump();
  }
  const bool raw =
      std::find(args.begin(), args.end(), "--raw") != args.end();  // the path names the namespace
  auto ns = raw ? std::vector<std::string>{} : namespaceArgs(testCase);
  args.insert(args.end(), ns.begin(), ns.end());
  ProcessResult r = user.run(args, input);
  observed.allowed = r.exitCode == 0;
  observed.kubectlError = r.err;
  if (testCase.operation == "CONNECT") {
    observed.allowed = observed.allowed || r.err.find(deniedMarker) == std::string::npos;
    return observed;
  }
  if (observed.allowed && testCase.object) observed.stored = readBack(admin, *testCase.object, testCase);
  return observed;
}

std::optional<std::string> checkOutcome(const cli::TestCase& testCase, const Observed& observed,
                                        const CaseException* exception) {
  bool expectAllowed = exception ? exception->allowed : testCase.expect.allowed;
  if (expectAllowed != observed.allowed) {
    if (observed.allowed) return std::string("expected denied, got allowed");
    return "expected allowed, got denied: " + observed.kubectlError;
  }
  if (exception) {
    for (const std::string& part : exception->stderrContains) {
      if (observed.kubectlError.find(part) == std::string::npos) {
        return "kubectl's error lacks '" + part + "': " + observed.kubectlError;
      }
    }
    return std::nullopt;
  }
  if (!observed.allowed) return checkDenial(testCase, observed);
  return checkStored(testCase, observed);
}

}  // namespace sessiongate::e2e
