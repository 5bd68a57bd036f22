// Fuzzes AdmissionReview handling through the Reviewer, on /validate, /mutate and both (the CLI's and the
// API server's sequence), against the cluster of tests/webhook/fixtures/_cluster. Properties: a 200 answer
// is an AdmissionReview in valid JSON that echoes the request's uid and allows or denies (never an internal
// error); any other answer is an error; a patch
// is an RFC 6902 array that applies to the reviewed object under the strict applier, and mutating the
// patched object again yields no patch.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/cluster_files.h"
#include "core/json_patch_apply.h"
#include "fuzz/fuzz_check.h"
#include "webhook/admission/dom.h"
#include "webhook/admission/request.h"
#include "webhook/admission/response.h"
#include "webhook/admission/reviewer.h"

using namespace sessiongate;
using namespace sessiongate::webhook;
using sessiongate::fuzz::fuzzCheck;

namespace {

const MemoryClusterView& cluster() {
  static const std::unique_ptr<MemoryClusterView> view = [] {
    auto v = std::make_unique<MemoryClusterView>();
    auto files = loadClusterFiles({SESSIONGATE_FUZZ_CLUSTER}, "default");
    fuzzCheck(files.ok(), "the fixture cluster loads", files.ok() ? "" : files.error());
    applyClusterFiles(*files, *v);
    return v;
  }();
  return *view;
}

// Reviewed is what the reviewer decoded of the input, copied out of the decoder's reused DOM.
struct Reviewed {
  std::string uid;
  Json request;  // the request fields the mutation reads, to review the patched object again
  Json object;   // request.object, or null
};

std::optional<Reviewed> decoded(std::string_view body) {
  auto request = decodeReview(body);
  if (!request) return std::nullopt;
  Reviewed r;
  r.uid = request->uid;
  r.request = {{"uid", "again"},
               {"kind", {{"group", request->kind.group}, {"version", request->kind.version}, {"kind", request->kind.kind}}},
               {"resource", {{"group", request->resource.group}, {"version", request->resource.version},
                             {"resource", request->resource.resource}}},
               {"subResource", request->subResource},
               {"operation", request->operation},
               {"namespace", request->namespace_},
               {"name", request->name},
               {"userInfo", {{"username", request->userInfo.username}, {"groups", request->userInfo.groups}}}};
  if (request->object) r.object = toJson(*request->object);
  return r;
}

void checkPatch(const Reviewer& reviewer, const Reviewed& reviewed, const Json& response,
                const std::string& body) {
  fuzzCheck(response.value("patchType", "") == "JSONPatch", "a patch has patchType JSONPatch", body);
  fuzzCheck(response["patch"].is_string(), "the patch is a base64 string", body);
  const std::string text = base64Decode(response["patch"].get<std::string>());
  Json patch = Json::parse(text, nullptr, false);
  fuzzCheck(!patch.is_discarded() && patch.is_array() && !patch.empty(), "the patch is a JSON array", text);
  auto patchedObject = applyJsonPatch(reviewed.object, patch);
  fuzzCheck(patchedObject.ok(), "the patch applies strictly", patchedObject.ok() ? "" : patchedObject.error());

  Json again = {{"apiVersion", "admission.k8s.io/v1"}, {"kind", "AdmissionReview"}, {"request", reviewed.request}};
  again["request"]["object"] = *patchedObject;
  ReviewAnswer second = reviewer(Endpoint::Mutate, again.dump());
  fuzzCheck(second.status == 200 && second.decision == "allowed", "the patched object gets no patch",
            second.body);
}

void checkAnswer(const Reviewer& reviewer, const std::optional<Reviewed>& reviewed, const ReviewAnswer& answer) {
  if (answer.status != 200) {
    fuzzCheck(answer.decision == "error" && !answer.body.empty(), "a refused body gets an error message",
              answer.body);
    fuzzCheck(!reviewed, "only an undecodable review is refused", answer.body);
    return;
  }
  fuzzCheck(reviewed.has_value(), "a 200 answer comes from a decodable review", answer.body);
  // A decodable review is allowed or denied; an errored answer (500) would refuse a user's object for a bug,
  // e.g. a member of an unexpected JSON type.
  fuzzCheck(answer.decision != "error", "a decodable review is never an internal error", answer.body);
  Json out = Json::parse(answer.body, nullptr, false);
  fuzzCheck(!out.is_discarded(), "the answer is valid JSON", answer.body);
  fuzzCheck(out.value("apiVersion", "") == "admission.k8s.io/v1" && out.value("kind", "") == "AdmissionReview",
            "the answer is an AdmissionReview", answer.body);
  const Json& response = out["response"];
  fuzzCheck(response.is_object() && response["uid"] == reviewed->uid, "the uid is echoed", answer.body);
  fuzzCheck(response["allowed"].is_boolean(), "allowed is a boolean", answer.body);
  if (response.contains("patch")) checkPatch(reviewer, *reviewed, response, answer.body);
}

}  // namespace

// hasDuplicateKey: some object of body names a key twice. The API server serializes the object it decoded, so
// its reviews never do; for such a body the parsers disagree (simdjson's lookups read the first of two equal
// keys, nlohmann and Go the last), so the reviewer's view and this harness's copy of the object would differ.
// Found by this fuzzer (seed 1); out of the webhook's input domain, so skipped.
bool hasDuplicateKey(const std::string& body) {
  std::vector<std::set<std::string>> open;
  bool duplicate = false;
  Json::parser_callback_t track = [&](int, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::object_start) open.emplace_back();
    if (event == Json::parse_event_t::object_end && !open.empty()) open.pop_back();
    if (event == Json::parse_event_t::key && !open.empty() && !open.back().insert(parsed.get<std::string>()).second)
      duplicate = true;
    return true;
  };
  try {
    (void)Json::parse(body, track, /*allow_exceptions=*/false);
  } catch (...) {
    return false;
  }
  return duplicate;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  if (hasDuplicateKey(body)) return 0;
  Reviewer reviewer(cluster());
  const auto reviewed = decoded(body);
  checkAnswer(reviewer, reviewed, reviewer(Endpoint::Validate, body));
  checkAnswer(reviewer, reviewed, reviewer(Endpoint::Mutate, body));
  checkAnswer(reviewer, reviewed, reviewer.both(body));
  return 0;
}
