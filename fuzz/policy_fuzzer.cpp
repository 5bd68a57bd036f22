// Fuzzes SessionPolicy parsing from text, as YAML (policy files) and as JSON (the API server's objects).
// Properties: nothing crashes; a policy parsed without errors passes checkPolicy again, its IP pool
// parses, and the pod mutator can render its values; every error renders a message.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/ip_pool.h"
#include "core/object_loader.h"
#include "core/policy.h"
#include "fuzz/fuzz_check.h"
#include "webhook/mutators/rendered_values.h"

using namespace sessiongate;
using sessiongate::fuzz::fuzzCheck;

namespace {

void checkObject(const Json& object) {
  PolicyParse parsed = parsePolicy(object);
  for (const FieldError& error : parsed.errors) {
    fuzzCheck(!error.message().empty(), "an error renders a message", error.field);
  }
  if (!parsed.errors.empty()) return;
  const SessionPolicy& policy = parsed.policy;
  FieldErrors again = checkPolicy(policy);
  fuzzCheck(again.empty(), "a parsed policy passes checkPolicy", again.empty() ? "" : aggregate(again));
  if (policy.publicExposure) {
    auto pool = IpPool::parse(policy.publicExposure->ipPool);
    fuzzCheck(pool.ok(), "a parsed policy's pool parses", pool.ok() ? "" : pool.error());
  }
  webhook::RenderedValues rendered(policy);
  for (const Profile& profile : policy.profiles) {
    const auto& resources = rendered.resources(profile.name);
    fuzzCheck(resources.whole.empty() == (resources.requests.empty() && resources.limits.empty()),
              "rendered resources are consistent", profile.name);
  }
}

void checkText(std::string_view text, std::string_view sourceName) {
  auto objects = parseObjects(text, sourceName);
  if (!objects) {
    fuzzCheck(!objects.error().empty(), "a parse error has a message");
    return;
  }
  for (const Json& object : *objects) checkObject(object);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  checkText(text, "fuzz.yaml");
  checkText(text, "fuzz.json");
  return 0;
}
