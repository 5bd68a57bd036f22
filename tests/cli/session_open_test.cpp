// openSession against a local fake API server (tests/kube/fake_api_server): the requests it makes (the
// caller as spec.user, a watch on that one object resumed from the last resourceVersion, a delete with the
// session's uid as precondition) and the lines it prints, for a dropped watch, a 410, a stop, --keep, a
// refusal and a deletion that does not finish. The real round trip is tests/e2e/broker/broker.sh.
#include "cli/session_open.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "fake_api_server.h"

namespace sessiongate::cli {
namespace {

using kube::testing::CannedResponse;
using kube::testing::FakeApiServer;

const std::string kCollection = "/apis/sessiongate.io/v1alpha1/usersessions";
const std::string kObject = kCollection + "/alice-shell-x7k2p";

std::string session(const std::string& resourceVersion, const std::string& status,
                    const std::string& uid = "uid-1") {
  return R"({"apiVersion":"sessiongate.io/v1alpha1","kind":"UserSession","metadata":{"name":"alice-shell-x7k2p",)"
         R"("uid":")" +
         uid + R"(","resourceVersion":")" + resourceVersion +
         R"("},"spec":{"user":"alice","profile":"shell"})" +
         (status.empty() ? "" : R"(,"status":)" + status) + "}";
}

std::string event(const std::string& type, const std::string& object) {
  return R"({"type":")" + type + R"(","object":)" + object + "}\n";
}

const std::string kCreatedLine =
    R"({"event":"created","name":"alice-shell-x7k2p","user":"alice","profile":"shell"})";

// Run is one openSession call with captured output.
struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

Run open(FakeApiServer& server, SessionRequest request, StopRequest& stop) {
  kube::ClientConfig config;
  config.server = server.url();
  config.origin = "test";
  auto client = kube::KubeClient::fromConfig(config);
  REQUIRE(client);
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  Run run;
  run.code = openSession(**client, request, "alice", {in, out, err}, stop);
  run.out = out.str();
  run.err = err.str();
  return run;
}

SessionRequest shellRequest() {
  SessionRequest request;
  request.profile = "shell";
  return request;
}

}  // namespace

TEST_CASE("a dropped watch resumes from the last resourceVersion; removal by the cluster ends the run",
          "[cli][session]") {
  FakeApiServer server;
  server.on("POST", kCollection, {{201, session("100", "")}});
  const std::string pending = session("101", R"({"phase":"Pending"})");
  server.on("WATCH", kCollection,
            {{200, event("MODIFIED", pending), 16, CannedResponse::End::Abort},
             {200,
              event("MODIFIED", pending) + event("ADDED", session("7", R"({"phase":"Ready"})", "uid-other")) +
                  event("MODIFIED", session("102", R"({"phase":"Ready"})")) +
                  event("DELETED", session("103", R"({"phase":"Expired"})")),
              0, CannedResponse::End::Complete}});
  StopRequest stop;
  Run run = open(server, shellRequest(), stop);

  CHECK(run.code == kExitOk);
  CHECK(
      run.out ==
      kCreatedLine + "\n" + R"({"event":"status","name":"alice-shell-x7k2p","phase":"Pending"})" + "\n" +
          R"({"event":"status","name":"alice-shell-x7k2p","phase":"Ready"})" + "\n" +
          R"j({"event":"ended","name":"alice-shell-x7k2p","reason":"removed from the cluster (last phase Expired)"})j" +
          "\n");
  CHECK(run.err.find("watch of usersession alice-shell-x7k2p dropped: ") != std::string::npos);
  auto posts = server.requests("POST", kCollection);
  REQUIRE(posts.size() == 1);
  CHECK(Json::parse(posts[0].body) ==
        Json::parse(R"({"apiVersion":"sessiongate.io/v1alpha1","kind":"UserSession",
        "metadata":{"generateName":"alice-shell-"},"spec":{"user":"alice","profile":"shell"}})"));
  auto watches = server.requests("WATCH", kCollection);
  REQUIRE(watches.size() == 2);
  CHECK(watches[0].query ==
        "watch=true&fieldSelector=metadata.name%3Dalice-shell-x7k2p&resourceVersion=100&allowWatchBookmarks="
        "true"
        "&timeoutSeconds=300");
  CHECK(watches[1].query.find("&resourceVersion=101&") != std::string::npos);
  CHECK(server.requests("DELETE", kObject).empty());
}

TEST_CASE("a 410 on resume re-reads the object and watches from its resourceVersion", "[cli][session]") {
  FakeApiServer server;
  server.on("POST", kCollection, {{201, session("100", "")}});
  server.on(
      "WATCH", kCollection,
      {{410,
        R"j({"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 100 (140)","reason":"Expired","code":410})j"},
       {200, event("DELETED", session("151", R"({"phase":"Idle"})")), 0, CannedResponse::End::Complete}});
  server.on("GET", kObject,
            {{200, session("150", R"({"phase":"Ready","namespace":"sess-alice-shell-x7k2p"})")}});
  StopRequest stop;
  Run run = open(server, shellRequest(), stop);

  CHECK(run.code == kExitOk);
  CHECK(
      run.out ==
      kCreatedLine + "\n" +
          R"({"event":"status","name":"alice-shell-x7k2p","phase":"Ready","namespace":"sess-alice-shell-x7k2p"})" +
          "\n" +
          R"j({"event":"ended","name":"alice-shell-x7k2p","reason":"removed from the cluster (last phase Idle)"})j" +
          "\n");
  auto watches = server.requests("WATCH", kCollection);
  REQUIRE(watches.size() == 2);
  CHECK(watches[1].query.find("&resourceVersion=150&") != std::string::npos);
}

TEST_CASE("a stop deletes only this session (uid precondition) and waits until it is gone",
          "[cli][session]") {
  FakeApiServer server;
  StopRequest stop;
  server.on("POST", kCollection, {{201, session("100", "")}});
  CannedResponse quiet(200, "", 1, CannedResponse::End::Hang);
  quiet.beforeSend = [&stop] { stop.request("SIGTERM"); };
  server.on("WATCH", kCollection, {quiet});
  server.on("DELETE", kObject, {{200, session("110", R"({"phase":"Ready"})")}});
  server.on(
      "GET", kObject,
      {{200, session("111", R"({"phase":"Terminating"})")},
       {200, session("112", R"({"phase":"Terminating"})")},
       {404,
        R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"usersessions.sessiongate.io \"alice-shell-x7k2p\" not found","reason":"NotFound","code":404})"}});
  Run run = open(server, shellRequest(), stop);

  CHECK(run.code == kExitOk);
  CHECK(run.err.empty());
  CHECK(run.out == kCreatedLine + "\n" +
                       R"({"event":"deleting","name":"alice-shell-x7k2p","reason":"SIGTERM"})" + "\n" +
                       R"({"event":"status","name":"alice-shell-x7k2p","phase":"Terminating"})" + "\n" +
                       R"({"event":"deleted","name":"alice-shell-x7k2p"})" + "\n");
  auto deletes = server.requests("DELETE", kObject);
  REQUIRE(deletes.size() == 1);
  CHECK(Json::parse(deletes[0].body) ==
        Json::parse(R"({"apiVersion":"v1","kind":"DeleteOptions","propagationPolicy":"Background",
                        "preconditions":{"uid":"uid-1"}})"));
}

TEST_CASE("a session replaced under the same name is never deleted", "[cli][session]") {
  FakeApiServer server;
  StopRequest stop;
  server.on("POST", kCollection, {{201, session("100", "")}});
  CannedResponse quiet(200, "", 1, CannedResponse::End::Hang);
  quiet.beforeSend = [&stop] { stop.request("stdin closed"); };
  server.on("WATCH", kCollection, {quiet});
  // Ours went and someone's new session took the name: the uid precondition fails with a Conflict.
  server.on(
      "DELETE", kObject,
      {{409,
        R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"Precondition failed: UID in precondition: uid-1, UID in object meta: uid-2","reason":"Conflict","code":409})"}});
  Run run = open(server, shellRequest(), stop);

  CHECK(run.code == kExitOk);
  CHECK(run.out == kCreatedLine + "\n" +
                       R"({"event":"deleting","name":"alice-shell-x7k2p","reason":"stdin closed"})" + "\n" +
                       R"({"event":"deleted","name":"alice-shell-x7k2p"})" + "\n");
  CHECK(server.requests("DELETE", kObject).size() == 1);
}

TEST_CASE("with keep the session is left in place and the line says so", "[cli][session]") {
  FakeApiServer server;
  StopRequest stop;
  server.on("POST", kCollection, {{201, session("100", "")}});
  CannedResponse quiet(200, "", 1, CannedResponse::End::Hang);
  quiet.beforeSend = [&stop] { stop.request("SIGHUP"); };
  server.on("WATCH", kCollection, {quiet});
  SessionRequest request = shellRequest();
  request.keep = true;
  Run run = open(server, request, stop);

  CHECK(run.code == kExitOk);
  CHECK(run.out ==
        kCreatedLine + "\n" + R"({"event":"kept","name":"alice-shell-x7k2p","reason":"SIGHUP"})" + "\n");
  CHECK(server.requests("DELETE", kObject).empty());
}

TEST_CASE("a refused or failed create prints why and exits 1 or 3", "[cli][session]") {
  struct Case {
    int status;
    std::string body;
    int code;
    std::string out;
    std::string err;
  };
  const std::string denial =
      R"(admission webhook \"usersessions.validate.sessiongate.io\" denied the request: spec.profile: Unsupported value: \"root\": supported values: \"shell\")";
  const Case cases[] = {
      {403,
       R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":")" + denial +
           R"(","reason":"Forbidden","code":403})",
       kExitProblems, R"({"event":"refused","code":403,"reason":"Forbidden","message":")" + denial + "\"}\n",
       "sessiongatectl session open: Error from server (Forbidden): " +
           Json::parse("\"" + denial + "\"").get<std::string>() + "\n"},
      {409,
       R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"usersessions.sessiongate.io \"lab\" already exists","reason":"AlreadyExists","code":409})",
       kExitProblems,
       R"({"event":"refused","code":409,"reason":"AlreadyExists","message":"usersessions.sessiongate.io \"lab\" already exists"})"
       "\n",
       "sessiongatectl session open: Error from server (AlreadyExists): usersessions.sessiongate.io \"lab\" "
       "already "
       "exists\n"},
      {500,
       R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"Internal error occurred: failed calling webhook","reason":"InternalError","code":500})",
       kExitClusterError, "",
       "sessiongatectl session open: Error from server (InternalError): Internal error occurred: failed "
       "calling "
       "webhook\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.status);
    FakeApiServer server;
    server.on("POST", kCollection, {{c.status, c.body}});
    StopRequest stop;
    Run run = open(server, shellRequest(), stop);
    CHECK(run.code == c.code);
    CHECK(run.out == c.out);
    CHECK(run.err == c.err);
    CHECK(server.requests("WATCH", kCollection).empty());
  }
}

TEST_CASE("a session not gone within --delete-timeout exits 3 and says where to look", "[cli][session]") {
  FakeApiServer server;
  StopRequest stop;
  server.on("POST", kCollection, {{201, session("100", "")}});
  CannedResponse quiet(200, "", 1, CannedResponse::End::Hang);
  quiet.beforeSend = [&stop] { stop.request("SIGTERM"); };
  server.on("WATCH", kCollection, {quiet});
  server.on("DELETE", kObject, {{200, session("110", R"({"phase":"Terminating"})")}});
  server.on("GET", kObject, {{200, session("111", R"({"phase":"Terminating"})")}});
  SessionRequest request = shellRequest();
  request.deleteTimeout = std::chrono::milliseconds(600);
  Run run = open(server, request, stop);

  CHECK(run.code == kExitClusterError);
  CHECK(run.err ==
        "sessiongatectl session open: usersession alice-shell-x7k2p is not gone after 600ms (its finalizer "
        "waits for "
        "the controller); check it with kubectl get usersession alice-shell-x7k2p\n");
}

}  // namespace sessiongate::cli
