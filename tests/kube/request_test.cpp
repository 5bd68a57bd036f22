// Pure request building and response reading: paths, query strings, patch types, Status errors, watch
// framing, backoff delays. No network.
#include <catch2/catch.hpp>

#include "core/kube/api_error.h"
#include "core/kube/backoff.h"
#include "core/kube/request_options.h"
#include "core/kube/resource_ref.h"
#include "core/kube/watch_event.h"
#include "fixture.h"

namespace sessiongate::kube {
namespace {

using testing::fixture;

TEST_CASE("resource paths follow the REST layout", "[kube][path]") {
  struct Row {
    ResourceRef ref;
    std::string ns, name, subresource, expected;
  };
  const ResourceRef deployments{"apps", "v1", "deployments", true};
  std::vector<Row> rows = {
      {resources::kPods, "default", "web-0", "", "/api/v1/namespaces/default/pods/web-0"},
      {resources::kPods, "", "", "", "/api/v1/pods"},
      {resources::kConfigMaps, "sess-alice", "", "", "/api/v1/namespaces/sess-alice/configmaps"},
      {resources::kNamespaces, "ignored", "sess-alice", "", "/api/v1/namespaces/sess-alice"},
      {resources::kUserSessions, "", "alice-1", "", "/apis/sessiongate.io/v1alpha1/usersessions/alice-1"},
      {resources::kUserSessions, "", "alice-1", "status",
       "/apis/sessiongate.io/v1alpha1/usersessions/alice-1/status"},
      {resources::kUserSessions, "", "", "", "/apis/sessiongate.io/v1alpha1/usersessions"},
      {deployments, "kube-system", "coredns", "scale",
       "/apis/apps/v1/namespaces/kube-system/deployments/coredns/scale"},
      {resources::kLeases, "sessiongate", "sessiongate-controller", "",
       "/apis/coordination.k8s.io/v1/namespaces/sessiongate/leases/sessiongate-controller"},
      {resources::kConfigMaps, "a b", "x/y", "", "/api/v1/namespaces/a%20b/configmaps/x%2Fy"},
  };
  for (const Row& row : rows) {
    INFO(row.expected);
    std::string path = row.name.empty() ? row.ref.collectionPath(row.ns)
                                        : row.ref.objectPath(row.ns, row.name, row.subresource);
    CHECK(path == row.expected);
  }
  CHECK(resources::kUserSessions.qualifiedName() == "usersessions.sessiongate.io");
  CHECK(resources::kConfigMaps.qualifiedName() == "configmaps");
}

TEST_CASE("query strings carry the set options, escaped", "[kube][path]") {
  ListOptions list;
  CHECK(listQuery(list) == "");
  list.labelSelector = "sessiongate.io/user=alice,tier in (a,b)";
  list.fieldSelector = "metadata.name!=x";
  list.limit = 50;
  list.continueToken = "eyJ2Ijo+/=";
  list.resourceVersion = "0";
  list.resourceVersionMatch = "NotOlderThan";
  list.timeoutSeconds = 30;
  CHECK(listQuery(list) ==
        "?labelSelector=sessiongate.io%2Fuser%3Dalice%2Ctier%20in%20%28a%2Cb%29&fieldSelector=metadata.name%"
        "21%3Dx"
        "&limit=50&continue=eyJ2Ijo%2B%2F%3D&resourceVersion=0&resourceVersionMatch=NotOlderThan&"
        "timeoutSeconds=30");

  WatchOptions watch;
  watch.resourceVersion = "1250";
  CHECK(watchQuery(watch) == "?watch=true&resourceVersion=1250&allowWatchBookmarks=true&timeoutSeconds=300");
  watch.allowWatchBookmarks = false;
  watch.timeoutSeconds = 0;
  watch.labelSelector = "app=web";
  CHECK(watchQuery(watch) == "?watch=true&labelSelector=app%3Dweb&resourceVersion=1250");

  CHECK(writeQuery({}) == "");
  CHECK(writeQuery({"sessiongate-controller", true}) == "?fieldManager=sessiongate-controller&dryRun=All");
  CHECK(patchQuery({"sessiongate", true, false}, PatchType::Apply) == "?fieldManager=sessiongate&force=true");
  CHECK(patchQuery({"sessiongate", true, false}, PatchType::Merge) == "?fieldManager=sessiongate");
}

TEST_CASE("patch types map to the API server's content types", "[kube][patch]") {
  CHECK(std::string(patchContentType(PatchType::Merge)) == "application/merge-patch+json");
  CHECK(std::string(patchContentType(PatchType::Json)) == "application/json-patch+json");
  CHECK(std::string(patchContentType(PatchType::StrategicMerge)) == "application/strategic-merge-patch+json");
  CHECK(std::string(patchContentType(PatchType::Apply)) == "application/apply-patch+yaml");
}

TEST_CASE("delete options become a DeleteOptions body", "[kube][delete]") {
  CHECK(deleteBody({}) == "");
  DeleteOptions options;
  options.propagationPolicy = "Foreground";
  options.gracePeriodSeconds = 0;
  options.preconditionUid = "5f0a3c4e";
  options.preconditionResourceVersion = "1101";
  CHECK(Json::parse(deleteBody(options)) ==
        Json::parse(R"({"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground",
                        "gracePeriodSeconds":0,"preconditions":{"uid":"5f0a3c4e","resourceVersion":"1101"}})"));
}

TEST_CASE("API errors carry the Status code, reason, message and causes", "[kube][errors]") {
  struct Row {
    std::string file;
    int code;
    std::string reason, message;
    bool notFound, alreadyExists, conflict, invalid, gone;
  };
  std::vector<Row> rows = {
      {"status_404_usersession.json", 404, "NotFound", R"(usersessions.sessiongate.io "alice-1" not found)",
       true, false, false, false, false},
      {"status_409_already_exists.json", 409, "AlreadyExists", R"(configmaps "app-1" already exists)", false,
       true, false, false, false},
      {"status_409_conflict.json", 409, "Conflict",
       R"(Operation cannot be fulfilled on configmaps "app-1": the object has been modified; please apply your changes to the latest version and try again)",
       false, false, true, false, false},
      {"status_410_expired.json", 410, "Expired", "too old resource version: 1100 (1190)", false, false,
       false, false, true},
      {"status_403_forbidden.json", 403, "Forbidden",
       R"(configmaps is forbidden: User "system:serviceaccount:sessiongate:webhook" cannot list resource "configmaps" in API group "" in the namespace "kube-system")",
       false, false, false, false, false},
      {"status_401_unauthorized.json", 401, "Unauthorized", "Unauthorized", false, false, false, false,
       false},
  };
  for (const Row& row : rows) {
    INFO(row.file);
    ApiError e = apiErrorFromResponse(row.code, fixture(row.file));
    CHECK(e.code == row.code);
    CHECK(e.reason == row.reason);
    CHECK(e.message == row.message);
    CHECK(e.describe() == "Error from server (" + row.reason + "): " + row.message);
    CHECK(e.notFound() == row.notFound);
    CHECK(e.alreadyExists() == row.alreadyExists);
    CHECK(e.conflict() == row.conflict);
    CHECK(e.invalid() == row.invalid);
    CHECK(e.gone() == row.gone);
  }

  ApiError invalid = apiErrorFromResponse(422, fixture("status_422_invalid.json"));
  CHECK(invalid.reason == "Invalid");
  CHECK(invalid.invalid());
  REQUIRE(invalid.causes.size() == 1);
  CHECK(invalid.causes[0].reason == "FieldValueInvalid");
  CHECK(invalid.causes[0].field == "metadata.name");
  CHECK(invalid.causes[0].message.rfind(R"(Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain)", 0) ==
        0);
}

TEST_CASE("answers without a Status get a reason from the HTTP code", "[kube][errors]") {
  ApiError e = apiErrorFromResponse(404, "404 page not found\n");
  CHECK(e.code == 404);
  CHECK(e.reason == "NotFound");
  CHECK(e.message == "the server could not find the requested resource (404 page not found)");
  CHECK(e.notFound());
  ApiError gone = apiErrorFromResponse(410, "");
  CHECK(gone.reason == "Gone");
  CHECK(gone.gone());
  ApiError unreachable = transportError("GET https://127.0.0.1:1/api: Connection");
  CHECK(unreachable.unreachable());
  CHECK(unreachable.describe() == "GET https://127.0.0.1:1/api: Connection");
}

TEST_CASE("watch events are reassembled from chunks split anywhere", "[kube][watch]") {
  const std::string stream = fixture("watch_configmaps.jsonl");
  for (std::size_t chunk :
       {std::size_t(1), std::size_t(7), std::size_t(64), std::size_t(333), stream.size()}) {
    INFO("chunk size " << chunk);
    WatchDecoder decoder;
    std::vector<std::string> seen;
    for (std::size_t off = 0; off < stream.size(); off += chunk) {
      auto status = decoder.feed(std::string_view(stream).substr(off, chunk), [&](WatchEvent&& e) {
        std::string rv = e.object["metadata"].value("resourceVersion", "");
        seen.push_back(std::string(toString(e.type)) + " " + e.object.value("kind", "") + " " + rv);
        return true;
      });
      REQUIRE(status.ok());
    }
    CHECK_FALSE(decoder.pending());
    CHECK(seen == std::vector<std::string>{"ADDED ConfigMap 1201", "MODIFIED ConfigMap 1202",
                                           "BOOKMARK ConfigMap 1250", "DELETED ConfigMap 1260",
                                           "ERROR Status "});
  }
}

TEST_CASE("watch decoding stops when asked and rejects what is not an event", "[kube][watch]") {
  WatchDecoder decoder;
  int calls = 0;
  auto status = decoder.feed(fixture("watch_configmaps.jsonl"), [&](WatchEvent&&) { return ++calls < 2; });
  REQUIRE(status.ok());
  CHECK(*status == WatchDecoder::DecodeStatus::Stopped);
  CHECK(calls == 2);

  WatchDecoder partial;
  REQUIRE(partial.feed(R"({"type":"ADDED","obj)", [](WatchEvent&&) { return true; }).ok());
  CHECK(partial.pending());

  struct Row {
    std::string line, error;
  };
  std::vector<Row> rows = {
      {"not json\n", "watch stream: an event is not JSON: not json"},
      {R"({"type":"ADDED"})"
       "\n",
       R"(watch stream: an event lacks type or object: {"type":"ADDED"})"},
      {R"({"type":"SYNC","object":{}})"
       "\n",
       R"(watch stream: unknown event type "SYNC")"},
  };
  for (const Row& row : rows) {
    WatchDecoder bad;
    auto r = bad.feed(row.line, [](WatchEvent&&) { return true; });
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == row.error);
  }
}

TEST_CASE("backoff doubles up to its cap, jitters downwards and resets", "[kube][backoff]") {
  Backoff backoff({std::chrono::milliseconds(800), std::chrono::milliseconds(30000), 2.0, 0.5},
                  [] { return 0.5; });
  std::vector<long> delays;
  for (int i = 0; i < 8; ++i) delays.push_back(static_cast<long>(backoff.next().count()));
  CHECK(delays == std::vector<long>{600, 1200, 2400, 4800, 9600, 19200, 22500, 22500});
  backoff.reset();
  CHECK(backoff.next().count() == 600);

  Backoff noJitter({std::chrono::milliseconds(100), std::chrono::milliseconds(250), 2.0, 0.0});
  CHECK(noJitter.next().count() == 100);
  CHECK(noJitter.next().count() == 200);
  CHECK(noJitter.next().count() == 250);
}

}  // namespace
}  // namespace sessiongate::kube
