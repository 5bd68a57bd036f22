#include "tests/e2e/case_request.h"

#include <algorithm>
#include <map>

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

}  // namespace

Observed performRequest(const cli::TestCase& testCase, const Kubectl& user, const Kubectl& admin) {
  Observed observed;
  std::vector<std::string> args;
  std::string input;
  if (testCase.operation == "DELETE") {
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
  auto ns = namespaceArgs(testCase);
  args.insert(args.end(), ns.begin(), ns.end());
  ProcessResult r = user.run(args, input);
  observed.allowed = r.exitCode == 0;
  observed.kubectlError = r.err;
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
