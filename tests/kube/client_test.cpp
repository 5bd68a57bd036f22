// KubeClient against a local server answering with recorded kube-apiserver responses.
#include <catch2/catch.hpp>
#include <thread>

#include "core/kube/kube_client.h"
#include "fake_api_server.h"
#include "test_certs.h"

namespace sessiongate::kube {
namespace {

using testing::CannedResponse;
using testing::FakeApiServer;
using testing::fixture;

std::unique_ptr<KubeClient> clientFor(const FakeApiServer& server, const std::string& token = "t0ken") {
  ClientConfig config;
  config.server = server.url();
  config.token = token;
  config.origin = "test config";
  auto client = KubeClient::fromConfig(config);
  REQUIRE(client.ok());
  return std::move(*client);
}

const std::string kCmPath = "/api/v1/namespaces/e2e/configmaps";

TEST_CASE("get returns the object and sends the bearer token", "[kube][client]") {
  FakeApiServer server;
  server.on("GET", kCmPath + "/app-1", {{200, fixture("configmap_get.json")}});
  auto client = clientFor(server);
  auto got = client->get(resources::kConfigMaps, "e2e", "app-1");
  REQUIRE(got.ok());
  CHECK(*got == Json::parse(fixture("configmap_get.json")));
  auto reqs = server.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].authorization == "Bearer t0ken");
}

TEST_CASE("errors carry the API's Status", "[kube][client][errors]") {
  FakeApiServer server;
  server.on("GET", "/apis/sessiongate.io/v1alpha1/usersessions/alice-1",
            {{404, fixture("status_404_usersession.json")}});
  server.on("POST", kCmPath,
            {{409, fixture("status_409_already_exists.json")}, {422, fixture("status_422_invalid.json")}});
  auto client = clientFor(server);

  auto missing = client->get(resources::kUserSessions, "", "alice-1");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().notFound());
  CHECK(missing.error().describe() ==
        R"(Error from server (NotFound): usersessions.sessiongate.io "alice-1" not found)");
  CHECK(missing.toResult().error() == missing.error().describe());

  Json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "app-1"}}}};
  auto exists = client->create(resources::kConfigMaps, "e2e", cm);
  REQUIRE_FALSE(exists.ok());
  CHECK(exists.error().code == 409);
  CHECK(exists.error().alreadyExists());
  auto invalid = client->create(resources::kConfigMaps, "e2e", cm);
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.error().reason == "Invalid");
  REQUIRE(invalid.error().causes.size() == 1);
  CHECK(invalid.error().causes[0].field == "metadata.name");

  auto unknown = client->get(resources::kPods, "e2e", "nope");  // no route: a plain-text 404
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "the server could not find the requested resource (404 page not found)");

  auto noNamespace = client->get(resources::kConfigMaps, "", "app-1");
  REQUIRE_FALSE(noNamespace.ok());
  CHECK(noNamespace.error().message ==
        R"(configmaps "app-1": a namespace is required (configmaps are namespaced))");
}

TEST_CASE("listAll follows continue tokens and keeps the first page's resourceVersion",
          "[kube][client][list]") {
  FakeApiServer server;
  std::string page1 = fixture("configmap_list_page1.json");
  std::string token = Json::parse(page1)["metadata"]["continue"];
  server.on("GET", kCmPath, {{200, page1}, {200, fixture("configmap_list_page2.json")}});
  auto client = clientFor(server);
  ListOptions options;
  options.limit = 2;
  options.labelSelector = "app=demo";
  auto all = client->listAll(resources::kConfigMaps, "e2e", options);
  REQUIRE(all.ok());
  CHECK(all->resourceVersion == "1200");
  std::vector<std::string> names;
  for (const Json& item : all->items) names.push_back(item["metadata"]["name"]);
  CHECK(names == std::vector<std::string>{"app-1", "app-2", "app-3"});
  auto reqs = server.requests("GET", kCmPath);
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].query == "labelSelector=app%3Ddemo&limit=2");
  CHECK(reqs[1].query == "labelSelector=app%3Ddemo&limit=2&continue=" + token);
}

TEST_CASE("writes use the right verb, path, content type and options", "[kube][client][patch]") {
  FakeApiServer server;
  const std::string one = kCmPath + "/app-1";
  const std::string got = fixture("configmap_get.json");
  server.on("POST", kCmPath, {{201, got}});
  server.on("PUT", one, {{200, got}});
  server.on("PATCH", one, {{200, got}});
  server.on("DELETE", one, {{200, fixture("status_delete_success.json")}});
  server.on("PUT", "/apis/sessiongate.io/v1alpha1/usersessions/alice-1/status", {{200, "{}"}});
  auto client = clientFor(server);
  Json cm = Json::parse(got);

  REQUIRE(client->create(resources::kConfigMaps, "e2e", cm, {"sessiongate", false}).ok());
  REQUIRE(client->update(resources::kConfigMaps, "e2e", cm).ok());
  REQUIRE(
      client->patch(resources::kConfigMaps, "e2e", "app-1", PatchType::Merge, {{"data", {{"a", "1"}}}}).ok());
  REQUIRE(client
              ->patch(resources::kConfigMaps, "e2e", "app-1", PatchType::Json,
                      Json::parse(R"([{"op":"add","path":"/data/b","value":"2"}])"))
              .ok());
  REQUIRE(
      client
          ->patch(resources::kConfigMaps, "e2e", "app-1", PatchType::StrategicMerge, {{"data", {{"c", "3"}}}})
          .ok());
  REQUIRE(client->patch(resources::kConfigMaps, "e2e", "app-1", PatchType::Apply, cm, {"sessiongate", true})
              .ok());
  DeleteOptions del;
  del.propagationPolicy = "Background";
  auto deleted = client->remove(resources::kConfigMaps, "e2e", "app-1", del);
  REQUIRE(deleted.ok());
  CHECK((*deleted)["status"] == "Success");
  Json session = {{"metadata", {{"name", "alice-1"}}}, {"status", {{"phase", "Ready"}}}};
  REQUIRE(client->updateStatus(resources::kUserSessions, "", session).ok());

  struct Row {
    std::string method, path, query, contentType, body;
  };
  std::vector<Row> expected = {
      {"POST", kCmPath, "fieldManager=sessiongate", "application/json", cm.dump()},
      {"PUT", one, "", "application/json", cm.dump()},
      {"PATCH", one, "", "application/merge-patch+json", R"({"data":{"a":"1"}})"},
      {"PATCH", one, "", "application/json-patch+json", R"([{"op":"add","path":"/data/b","value":"2"}])"},
      {"PATCH", one, "", "application/strategic-merge-patch+json", R"({"data":{"c":"3"}})"},
      {"PATCH", one, "fieldManager=sessiongate&force=true", "application/apply-patch+yaml", cm.dump()},
      {"DELETE", one, "", "application/json",
       R"({"apiVersion":"v1","kind":"DeleteOptions","propagationPolicy":"Background"})"},
      {"PUT", "/apis/sessiongate.io/v1alpha1/usersessions/alice-1/status", "", "application/json",
       session.dump()},
  };
  auto reqs = server.requests();
  REQUIRE(reqs.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(i << " " << expected[i].method << " " << expected[i].contentType);
    CHECK(reqs[i].method == expected[i].method);
    CHECK(reqs[i].path == expected[i].path);
    CHECK(reqs[i].query == expected[i].query);
    CHECK(reqs[i].contentType == expected[i].contentType);
    CHECK(reqs[i].body == expected[i].body);
  }

  auto badJsonPatch = client->patch(resources::kConfigMaps, "e2e", "app-1", PatchType::Json, {{"op", "add"}});
  REQUIRE_FALSE(badJsonPatch.ok());
  CHECK(badJsonPatch.error().message == "a JSON patch (RFC 6902) must be an array of operations");
  auto applyWithoutManager = client->patch(resources::kConfigMaps, "e2e", "app-1", PatchType::Apply, cm);
  REQUIRE_FALSE(applyWithoutManager.ok());
  CHECK(applyWithoutManager.error().message == "server-side apply needs a fieldManager");
}

TEST_CASE("watch delivers events split across chunks, ERROR included", "[kube][client][watch]") {
  FakeApiServer server;
  server.on("WATCH", kCmPath, {{200, fixture("watch_configmaps.jsonl"), 5, CannedResponse::End::Complete}});
  auto client = clientFor(server);
  StopSignal stop;
  std::vector<std::string> seen;
  WatchOptions options;
  options.resourceVersion = "1200";
  auto ended = client->watch(
      resources::kConfigMaps, "e2e", options,
      [&](const WatchEvent& e) {
        seen.push_back(std::string(toString(e.type)) + " " +
                       e.object["metadata"].value("resourceVersion", ""));
        return true;
      },
      stop);
  REQUIRE(ended.ok());
  CHECK(*ended == WatchEnd::Closed);
  CHECK(seen ==
        std::vector<std::string>{"ADDED 1201", "MODIFIED 1202", "BOOKMARK 1250", "DELETED 1260", "ERROR "});
  auto reqs = server.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].query == "watch=true&resourceVersion=1200&allowWatchBookmarks=true&timeoutSeconds=300");
}

TEST_CASE("watch reports a cut stream, an HTTP error and a stop", "[kube][client][watch]") {
  FakeApiServer server;
  server.on("WATCH", kCmPath,
            {{200, fixture("watch_bookmark_then_drop.jsonl"), 64, CannedResponse::End::Abort}});
  server.on("WATCH", "/api/v1/namespaces/gone/configmaps", {{410, fixture("status_410_expired.json")}});
  server.on("WATCH", "/api/v1/namespaces/quiet/configmaps", {{200, "", 1, CannedResponse::End::Hang}});
  auto client = clientFor(server);
  StopSignal never;
  int events = 0;
  auto count = [&](const WatchEvent&) { return ++events > 0; };

  auto cut = client->watch(resources::kConfigMaps, "e2e", {}, count, never);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.error().unreachable());
  CHECK(events == 2);

  auto gone = client->watch(resources::kConfigMaps, "gone", {}, count, never);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().gone());
  CHECK(gone.error().message == "too old resource version: 1100 (1190)");

  StopSignal stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop.stop();
  });
  auto started = std::chrono::steady_clock::now();
  auto stopped = client->watch(resources::kConfigMaps, "quiet", {}, count, stop);
  auto took = std::chrono::steady_clock::now() - started;
  stopper.join();
  REQUIRE(stopped.ok());
  CHECK(*stopped == WatchEnd::Stopped);
  CHECK(took < std::chrono::seconds(5));
}

TEST_CASE("an unreachable server is an error naming the URL", "[kube][client][errors]") {
  ClientConfig config;
  config.server = "http://127.0.0.1:1";
  config.origin = "test config";
  auto client = KubeClient::fromConfig(config, {2, 2, 2});
  REQUIRE(client.ok());
  auto got = (*client)->get(resources::kNamespaces, "", "default");
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().unreachable());
  CHECK(got.error().message ==
        "GET http://127.0.0.1:1/api/v1/namespaces/default: cannot connect; is the API server running at "
        "http://127.0.0.1:1?");
}

TEST_CASE("TLS: the server is verified against the kubeconfig CA and sees the client certificate",
          "[kube][client][tls]") {
  testing::TestPki pki;
  FakeApiServer server(pki.server().cert, pki.server().key, pki.clientCaStore());
  server.on("GET", "/api/v1/namespaces/e2e/configmaps/app-1", {{200, fixture("configmap_get.json")}});

  ClientConfig config;
  config.server = server.url();
  config.caData = pki.ca().certPem;
  config.clientCertData = pki.client().certPem;
  config.clientKeyData = pki.client().keyPem;
  config.origin = "kubeconfig test (context tls)";
  auto client = KubeClient::fromConfig(config);
  REQUIRE(client.ok());
  auto got = (*client)->get(resources::kConfigMaps, "e2e", "app-1");
  REQUIRE(got.ok());
  CHECK((*got)["metadata"]["name"] == "app-1");
  REQUIRE(server.requests().size() == 1);
  CHECK(server.requests()[0].clientCertCn == "alice");

  ClientConfig anonymous = config;  // the server demands a client certificate
  anonymous.clientCertData.clear();
  anonymous.clientKeyData.clear();
  auto refusedClient = (*KubeClient::fromConfig(anonymous))->get(resources::kConfigMaps, "e2e", "app-1");
  REQUIRE_FALSE(refusedClient.ok());
  CHECK(refusedClient.error().unreachable());

  testing::TestPki other("another-ca");  // a CA that did not sign the server's certificate
  ClientConfig wrongCa = config;
  wrongCa.caData = other.ca().certPem;
  auto untrusted = KubeClient::fromConfig(wrongCa);
  REQUIRE(untrusted.ok());
  auto refused = (*untrusted)->get(resources::kConfigMaps, "e2e", "app-1");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message ==
        "GET " + server.url() +
            "/api/v1/namespaces/e2e/configmaps/app-1: the server's certificate is not "
            "trusted (self-signed certificate in certificate chain); check the certificate-authority "
            "of kubeconfig test (context tls)");

  ClientConfig mismatched = config;
  mismatched.clientKeyData = other.client().keyPem;
  auto badKey = KubeClient::fromConfig(mismatched);
  REQUIRE_FALSE(badKey.ok());
  CHECK(badKey.error() == "kubeconfig test (context tls): client-key does not match client-certificate");

  ClientConfig notPem = config;
  notPem.caData = "hello";
  auto badCa = KubeClient::fromConfig(notPem);
  REQUIRE_FALSE(badCa.ok());
  CHECK(badCa.error().rfind("kubeconfig test (context tls): certificate-authority is not a PEM certificate",
                            0) == 0);
}

}  // namespace
}  // namespace sessiongate::kube
