// Informer against a local server: what the handler is given and what the store keeps, with the store holding
// whole trimmed objects or only their identities.
#include "core/kube/informer.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <thread>

#include "fake_api_server.h"

namespace sessiongate::kube {
namespace {

using testing::CannedResponse;
using testing::FakeApiServer;
using testing::fixture;

const std::string kCmPath = "/api/v1/namespaces/e2e/configmaps";

void dropManagedFields(Json& object) {
  object["metadata"].erase("managedFields");
}

// InformerRun serves two lists of app-1..app-3 around a watch that adds app-4, changes it, deletes app-1
// and then expires (410), and records each handler call as "name color stored|gone" (color "-" when the
// handler was not given data, "+managedFields" when the trim did not run).
struct InformerRun {
  FakeApiServer server;
  std::unique_ptr<KubeClient> client;
  std::unique_ptr<Informer> informer;
  std::mutex mu;
  std::vector<std::string> seen;
  int synced = 0;

  explicit InformerRun(bool identityOnly) {
    std::string page1 = fixture("configmap_list_page1.json"), page2 = fixture("configmap_list_page2.json");
    server.on("GET", kCmPath, {{200, page1}, {200, page2}, {200, page1}, {200, page2}});
    server.on("WATCH", kCmPath,
              {{200, fixture("watch_configmaps.jsonl"), 7, CannedResponse::End::Complete},
               {200, "", 1, CannedResponse::End::Hang}});
    ClientConfig config;
    config.server = server.url();
    config.origin = "test";
    client = std::move(*KubeClient::fromConfig(config));
    ReflectorOptions options;
    options.ns = "e2e";
    options.pageSize = 2;
    options.random = [] { return 0.5; };
    InformerOptions informerOptions;
    informerOptions.identityOnly = identityOnly;
    informerOptions.onSynced = [this] {
      std::lock_guard<std::mutex> lock(mu);
      ++synced;
    };
    informer = std::make_unique<Informer>(
        *client, resources::kConfigMaps, options, dropManagedFields,
        [this](const Json& o) {
          std::string name = o["metadata"]["name"].get<std::string>();
          std::string color = o.contains("data") ? o["data"]["color"].get<std::string>() : "-";
          if (o["metadata"].contains("managedFields")) color += "+managedFields";
          const bool stored = informer->store().find("e2e", name) != nullptr;
          std::lock_guard<std::mutex> lock(mu);
          seen.push_back(name + " " + color + (stored ? " stored" : " gone"));
        },
        informerOptions);
    informer->start();
  }

  // waitForCalls polls until the handler was called count times or five seconds pass.
  bool waitForCalls(std::size_t count) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (seen.size() >= count) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
};

}  // namespace

TEST_CASE("informer hands over each change after the store took it, relists included", "[kube][informer]") {
  struct Case {
    bool identityOnly;
    std::vector<std::string> seen;  // app-4, deleted while the watch was down, is gone at the relist
    Json app3;                      // what the store holds of app-3 at the end
  };
  const Json app3Identity = Json::parse(R"({"metadata": {"name": "app-3", "namespace": "e2e",
      "uid": "5f0a3c4e-8a51-4f0e-9d0e-1b6f1f0c0a03", "resourceVersion": "1103"}})");
  Json app3Whole = Json::parse(fixture("configmap_list_page2.json"))["items"][0];
  dropManagedFields(app3Whole);
  const std::vector<Case> cases = {
      {false,
       {"app-1 red stored", "app-2 green stored", "app-3 blue stored", "app-4 cyan stored",
        "app-4 magenta stored", "app-1 red+managedFields gone", "app-4 magenta gone", "app-1 red stored",
        "app-2 green stored", "app-3 blue stored"},
       app3Whole},
      // Identity only: the handler still gets whole trimmed objects; a relist's gone object is its identity.
      {true,
       {"app-1 red stored", "app-2 green stored", "app-3 blue stored", "app-4 cyan stored",
        "app-4 magenta stored", "app-1 red+managedFields gone", "app-4 - gone", "app-1 red stored",
        "app-2 green stored", "app-3 blue stored"},
       app3Identity},
  };
  for (const Case& c : cases) {
    CAPTURE(c.identityOnly);
    InformerRun run(c.identityOnly);
    REQUIRE(run.waitForCalls(c.seen.size()));
    run.informer->stop();
    std::lock_guard<std::mutex> lock(run.mu);
    CHECK(run.seen == c.seen);
    CHECK(run.synced == 1);
    CHECK(run.informer->hasSynced());
    CHECK(run.informer->store().size() == 3);
    REQUIRE(run.informer->store().find("e2e", "app-3"));
    CHECK(*run.informer->store().find("e2e", "app-3") == c.app3);
  }
}

}  // namespace sessiongate::kube
