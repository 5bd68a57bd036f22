#include "cli/case_runner.h"

#include "cli/case_review.h"
#include "cli/json_subset.h"
#include "webhook/admission/response.h"
#include "webhook/admission/reviewer.h"

namespace sessiongate::cli {
namespace {

// Answer is what the runner reads of a response AdmissionReview.
struct Answer {
  bool allowed = false;
  std::string message;
  Json patch = Json::array();
};

Result<Answer> review(const webhook::Reviewer& reviewer, const std::string& endpoint,
                      const Json& reviewJson) {
  std::string body = reviewJson.dump();
  webhook::ReviewAnswer answer = endpoint == "both"     ? reviewer.both(body)
                                 : endpoint == "mutate" ? reviewer(webhook::Endpoint::Mutate, body)
                                                        : reviewer(webhook::Endpoint::Validate, body);
  if (answer.status != 200) return Error{"the webhook rejected the review as malformed: " + answer.body};
  try {
    Json response = Json::parse(answer.body).at("response");
    std::string uid = reviewJson["request"]["uid"].get<std::string>();
    if (response.value("uid", std::string()) != uid)
      return Error{"the response does not echo the request uid"};
    Answer out;
    out.allowed = response.at("allowed").get<bool>();
    if (response.contains("status")) out.message = response["status"].value("message", std::string());
    if (response.contains("patch")) {
      out.patch = Json::parse(webhook::base64Decode(response["patch"].get<std::string>()));
    }
    return out;
  } catch (const Json::exception& e) {
    return Error{std::string("unreadable response AdmissionReview: ") + e.what()};
  }
}

std::string verdict(bool allowed) {
  return allowed ? "allowed" : "denied";
}

// messageMismatch checks the denial message against message, messageContains and messageNotContains.
std::optional<std::string> messageMismatch(const CaseExpectation& expect, const std::string& message) {
  if (expect.message && *expect.message != message) {
    return "expected message " + Json(*expect.message).dump() + ", got " + Json(message).dump();
  }
  for (const auto& part : expect.messageContains) {
    if (message.find(part) == std::string::npos) {
      return "expected message containing " + Json(part).dump() + ", got " + Json(message).dump();
    }
  }
  for (const auto& part : expect.messageNotContains) {
    if (message.find(part) != std::string::npos) {
      return "expected message without " + Json(part).dump() + ", got " + Json(message).dump();
    }
  }
  return std::nullopt;
}

// mutationMismatch checks the patch, the mutated object and, with reinvoke, idempotency.
std::optional<std::string> mutationMismatch(const TestCase& testCase, const webhook::Reviewer& reviewer,
                                            const Json& patch) {
  const CaseExpectation& expect = testCase.expect;
  if (expect.patch && *expect.patch != patch) {
    return "expected patch " + expect.patch->dump() + ", got " + patch.dump();
  }
  if (!expect.mutatedObject && expect.mutatedObjectAbsent.empty() && !testCase.reinvoke) return std::nullopt;
  if (!testCase.object) return "mutatedObject and reinvoke need an object";
  Json mutated;
  try {
    mutated = testCase.object->patch(patch);
  } catch (const Json::exception& e) {
    return std::string("the patch does not apply to the object: ") + e.what();
  }
  if (expect.mutatedObject) {
    if (auto mismatch = subsetMismatch(*expect.mutatedObject, mutated)) return "mutated object " + *mismatch;
  }
  for (const auto& pointer : expect.mutatedObjectAbsent) {
    try {
      if (mutated.contains(Json::json_pointer(pointer))) {
        return "mutated object " + pointer + ": expected nothing, got " +
               mutated.at(Json::json_pointer(pointer)).dump();
      }
    } catch (const Json::exception& e) {
      return "mutatedObjectAbsent " + Json(pointer).dump() + " is not a JSON Pointer: " + e.what();
    }
  }
  if (!testCase.reinvoke) return std::nullopt;
  auto again = review(reviewer, "mutate", buildReview(testCase, &mutated));
  if (!again) return "reinvocation: " + again.error();
  if (!again->patch.empty()) return "reinvocation patched the mutated object again: " + again->patch.dump();
  return std::nullopt;
}

}  // namespace

CaseOutcome runCase(const TestCase& testCase) {
  auto view = buildClusterView(testCase);
  if (!view) return {false, "cannot build the cluster state: " + view.error()};
  webhook::Reviewer reviewer(**view);
  auto answer = review(reviewer, testCase.endpoint, buildReview(testCase));
  if (!answer) return {false, answer.error()};

  const CaseExpectation& expect = testCase.expect;
  if (answer->allowed != expect.allowed) {
    std::string got = verdict(answer->allowed);
    if (!answer->allowed) got += " (" + answer->message + ")";
    return {false, "expected " + verdict(expect.allowed) + ", got " + got};
  }
  if (auto mismatch = messageMismatch(expect, answer->message)) return {false, *mismatch};
  if (auto mismatch = mutationMismatch(testCase, reviewer, answer->patch)) return {false, *mismatch};
  return {true, {}};
}

}  // namespace sessiongate::cli
