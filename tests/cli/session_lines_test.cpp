// The JSON lines of sessiongatectl session open: what a user sees of a session, and a line only when that
// changes.
#include "cli/session_lines.h"

#include <catch2/catch.hpp>

namespace sessiongate::cli {

TEST_CASE("status lines show what a user sees of the session", "[cli][session]") {
  struct Case {
    std::string what;
    std::string session;
    std::string line;
  };
  const Case cases[] = {
      {"no status yet", R"({"metadata":{"name":"alice-shell-x1"},"spec":{"user":"alice"}})", ""},
      {"empty status", R"({"metadata":{"name":"alice-shell-x1"},"status":{}})", ""},
      {"pending",
       R"({"metadata":{"name":"alice-shell-x1"},"status":{"phase":"Pending","observedGeneration":1}})",
       R"({"event":"status","name":"alice-shell-x1","phase":"Pending"})"},
      {"provisioning with conditions and expiry",
       R"({"metadata":{"name":"a"},"status":{"phase":"Provisioning","message":"waiting for the worker pod",
          "namespace":"sess-a","expiresAt":"2026-12-03T20:00:00Z","observedGeneration":1,
          "conditions":[{"type":"Provisioned","status":"True","reason":"Created","lastTransitionTime":"2026-12-03T12:00:00Z"},
                        {"type":"WorkerReady","status":"False","reason":"PodPending","message":"x"}]}})",
       R"({"event":"status","name":"a","phase":"Provisioning","message":"waiting for the worker pod",)"
       R"("namespace":"sess-a","expiresAt":"2026-12-03T20:00:00Z",)"
       R"("conditions":{"Provisioned":"True","WorkerReady":"False"}})"},
      {"ready and exposed, with activity",
       R"({"metadata":{"name":"a"},"status":{"phase":"Ready","lastActivity":"2026-12-03T12:05:00Z",
          "publicExposure":{"phase":"Ready","externalIP":"198.51.100.10",
            "ports":[{"name":"notebook","protocol":"TCP","port":40000,"targetPort":8888}]}}})",
       R"({"event":"status","name":"a","phase":"Ready","lastActivity":"2026-12-03T12:05:00Z",)"
       R"("publicExposure":{"phase":"Ready","externalIP":"198.51.100.10",)"
       R"("ports":[{"name":"notebook","port":40000,"protocol":"TCP","targetPort":8888}]}})"},
      {"exposure refused",
       R"({"metadata":{"name":"a"},"status":{"phase":"Ready","publicExposure":{"phase":"Error","message":"no IP has port 22 free"}}})",
       R"({"event":"status","name":"a","phase":"Ready","publicExposure":{"phase":"Error","message":"no IP has port 22 free"}})"},
      {"wrong types are left out, never a crash",
       R"({"metadata":{"name":7},"status":{"phase":3,"conditions":"x","publicExposure":[1]}})",
       R"({"event":"status","name":""})"},
      {"text with quotes and control characters is escaped",
       R"({"metadata":{"name":"a"},"status":{"phase":"Error","message":"bad \"image\"\nline"}})",
       R"({"event":"status","name":"a","phase":"Error","message":"bad \"image\"\nline"})"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    CHECK(statusLine(Json::parse(c.session)) == c.line);
  }
}

TEST_CASE("lifecycle lines name the session and why it ended", "[cli][session]") {
  struct Case {
    std::string line;
    std::string expected;
  };
  const Case cases[] = {
      {createdLine(Json::parse(R"({"metadata":{"name":"alice-shell-7xk2p","uid":"u1"},)"
                               R"("spec":{"user":"alice","profile":"shell"}})")),
       R"({"event":"created","name":"alice-shell-7xk2p","user":"alice","profile":"shell"})"},
      {deletingLine("a", "stdin closed"), R"({"event":"deleting","name":"a","reason":"stdin closed"})"},
      {deletedLine("a"), R"({"event":"deleted","name":"a"})"},
      {keptLine("a", "SIGTERM"), R"({"event":"kept","name":"a","reason":"SIGTERM"})"},
      {endedLine("a", "removed from the cluster (last phase Expired)"),
       R"j({"event":"ended","name":"a","reason":"removed from the cluster (last phase Expired)"})j"},
      {refusedLine(403, "Forbidden",
                   "admission webhook \"usersessions.validate.sessiongate.io\" denied the request: "
                   "spec.profile: Unsupported value: \"root\""),
       R"({"event":"refused","code":403,"reason":"Forbidden","message":"admission webhook )"
       R"(\"usersessions.validate.sessiongate.io\" denied the request: spec.profile: Unsupported value: \"root\""})"},
  };
  for (const Case& c : cases) CHECK(c.line == c.expected);
}

TEST_CASE("a status line is printed once per change a user can see", "[cli][session]") {
  struct Step {
    std::string session;
    std::string printed;
  };
  const Step steps[] = {
      {R"({"metadata":{"name":"a"}})", ""},
      {R"({"metadata":{"name":"a"},"status":{"phase":"Pending"}})",
       R"({"event":"status","name":"a","phase":"Pending"})"},
      {R"({"metadata":{"name":"a","resourceVersion":"9"},"status":{"phase":"Pending","observedGeneration":1}})",
       ""},
      {R"({"metadata":{"name":"a"},"status":{"phase":"Ready","conditions":[{"type":"WorkerReady","status":"True",)"
       R"("lastTransitionTime":"2026-12-03T12:00:00Z"}]}})",
       R"({"event":"status","name":"a","phase":"Ready","conditions":{"WorkerReady":"True"}})"},
      {R"({"metadata":{"name":"a"},"status":{"phase":"Ready","conditions":[{"type":"WorkerReady","status":"True",)"
       R"("lastTransitionTime":"2026-12-03T12:09:00Z"}]}})",
       ""},
      {R"({"metadata":{"name":"a"},"status":{"phase":"Terminating"}})",
       R"({"event":"status","name":"a","phase":"Terminating"})"},
  };
  StatusPrinter printer;
  int i = 0;
  for (const Step& step : steps) {
    CAPTURE(i++);
    CHECK(printer.next(Json::parse(step.session)) == step.printed);
  }
}

}  // namespace sessiongate::cli
