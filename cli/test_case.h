#pragma once
// TestCase is one policy test case as written in policies/tests/*.yaml (format: policies/tests/README.md):
// who applies which object against which policy and cluster state, and what the webhook must answer.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/object_loader.h"
#include "core/result.h"

namespace sessiongate::cli {

// CaseExpectation is the `expect` block of a case.
struct CaseExpectation {
  bool allowed = true;
  std::optional<std::string> message;        // exact status.message
  std::vector<std::string> messageContains;  // substrings of status.message
  std::vector<std::string> messageNotContains;
  std::optional<Json> patch;                     // exact patch; [] means none
  std::optional<Json> mutatedObject;             // subset of the object after the patch
  std::vector<std::string> mutatedObjectAbsent;  // JSON Pointers absent after the patch
};

// TestCase is a loaded case with its paths resolved.
struct TestCase {
  std::string name;
  std::string description;
  std::string source;  // file:line of the case
  std::string username;
  std::vector<std::string> groups;
  std::string operation = "CREATE";  // CREATE, UPDATE, DELETE or CONNECT
  std::string subResource;           // e.g. exec, attach, ephemeralcontainers
  std::string podName;               // CONNECT: the pod the options object is for
  std::string endpoint = "both";     // both, mutate or validate
  std::optional<Json> object;        // absent on DELETE
  std::optional<Json> oldObject;
  std::string namespace_;
  std::vector<Json> objects;  // cluster state before the request
  std::filesystem::path policyFile;
  bool reinvoke = false;
  CaseExpectation expect;
};

// parseTestCase checks and reads one case; a relative `policy` is resolved against the case file's folder,
// and defaultPolicy is used when the case names none. Errors name the field, e.g. "expect.allowed is
// required".
Result<TestCase> parseTestCase(const SourcedObject& sourced, const std::filesystem::path& caseDir,
                               const std::filesystem::path& defaultPolicy);

}  // namespace sessiongate::cli
