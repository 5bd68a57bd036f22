// Policy files reloaded on change, as the webhook's main wires them: FileReloader polling the --policies
// paths, loadClusterFiles + applyClusterFiles as the load. A bad file keeps the previous policy in force.
#include <catch2/catch.hpp>
#include <fstream>

#include "core/cluster_files.h"
#include "test_pki.h"
#include "core/file_text.h"
#include "webhook/server/file_reloader.h"

using namespace sessiongate;
using namespace sessiongate::webhook;
using namespace sessiongate::webhook::testing;
namespace fs = std::filesystem;

namespace {

std::string policyWithLimit(int maxSessions) {
  auto text = fileText(fs::path(SESSIONGATE_SOURCE_DIR) / "bench/fixtures/cluster/policy.yaml").value();
  auto at = text.find("maxSessionsPerUser: 2");
  REQUIRE(at != std::string::npos);
  return text.replace(at, std::string("maxSessionsPerUser: 2").size(),
                      "maxSessionsPerUser: " + std::to_string(maxSessions));
}

}  // namespace

TEST_CASE("policy files are reloaded on change and a bad one keeps the previous policy",
          "[server][policyreload]") {
  auto dir = freshTempDir("policy-reload");
  writeFileAtomically(dir / "policy.yaml", policyWithLimit(2));

  MemoryClusterView view;
  std::vector<std::string> errors;
  std::vector<bool> observed;
  FileReloader reloader(
      {dir},
      [&] {
        auto loaded = loadClusterFiles({dir}, "default");
        if (!loaded) {
          errors.push_back(loaded.error());
          return false;
        }
        applyClusterFiles(*loaded, view);
        return true;
      },
      [&](bool ok) { observed.push_back(ok); });
  REQUIRE(reloader.loadNow());
  REQUIRE(view.policy());
  CHECK(view.policy()->maxSessionsPerUser == 2);

  struct Step {
    std::string what;
    std::function<void()> change;
    bool reloaded;
    int limitInForce;
    unsigned daveSessions;  // from sessions.yaml once it is there
  };
  const std::vector<Step> steps = {
      {"nothing changed", [] {}, false, 2, 0},
      {"a new limit", [&] { writeFileAtomically(dir / "policy.yaml", policyWithLimit(4)); }, true, 4, 0},
      {"a file that is not YAML", [&] { writeFileAtomically(dir / "policy.yaml", "spec: [unclosed"); }, false,
       4, 0},
      {"the broken file, unchanged", [] {}, false, 4, 0},
      {"the policy back with another limit",
       [&] { writeFileAtomically(dir / "policy.yaml", policyWithLimit(3)); }, true, 3, 0},
      {"the same size rewritten in place with the old mtime put back",
       [&] {
         auto mtime = fs::last_write_time(dir / "policy.yaml");
         std::ofstream(dir / "policy.yaml", std::ios::binary | std::ios::in | std::ios::out) << policyWithLimit(5);
         fs::last_write_time(dir / "policy.yaml", mtime);
       },
       true, 5, 0},
      {"a sessions file added to the folder",
       [&] {
         fs::copy_file(fs::path(SESSIONGATE_SOURCE_DIR) / "bench/fixtures/cluster/sessions.yaml",
                       dir / "sessions.yaml");
       },
       true, 5, 2},
      {"the policy removed", [&] { fs::remove(dir / "policy.yaml"); }, false, 5, 2},
  };
  for (const auto& step : steps) {
    INFO(step.what);
    step.change();
    CHECK(reloader.checkNow() == step.reloaded);
    REQUIRE(view.policy());
    CHECK(view.policy()->maxSessionsPerUser == step.limitInForce);
    CHECK(view.sessionCountForUser("dave") == step.daveSessions);
  }
  CHECK(observed == std::vector<bool>{true, false, true, true, true, false});
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].find("policy.yaml") != std::string::npos);
  CHECK(errors[1].find("default") != std::string::npos);  // names the missing SessionPolicy
}
