// Tables for the reconciler's small pure helpers: label values, timestamps, the status patch, flags.
#include <catch2/catch.hpp>

#include "controller/options.h"
#include "controller/reconcile/names.h"
#include "controller/reconcile/status.h"
#include "controller/reconcile/timestamps.h"

namespace sessiongate::controller {

TEST_CASE("toLabelValue turns user names into valid label values", "[controller][reconcile]") {
  struct Row {
    std::string in, out;
  };
  std::vector<Row> rows = {
      {"alice", "alice"},
      {"system:serviceaccount:lab:runner", "system-serviceaccount-lab-runner"},
      {"alice@example.org", "alice-example.org"},
      {"-_bob_-", "bob"},
      {std::string(70, 'a'), std::string(63, 'a')},
      {std::string(62, 'a') + "@b", std::string(62, 'a')},
      {"", ""},
  };
  for (const Row& row : rows) {
    INFO(row.in);
    CHECK(toLabelValue(row.in) == row.out);
  }
  CHECK(namespaceFor("alice-1") == "sess-alice-1");
}

TEST_CASE("timestamps parse RFC 3339 and render metav1.Time and MicroTime", "[controller][reconcile]") {
  auto t = parseTimestamp("2026-01-01T00:00:00Z");
  REQUIRE(t);
  CHECK(formatTimestamp(*t) == "2026-01-01T00:00:00Z");
  CHECK(formatTimestamp(*t + std::chrono::hours(8) + std::chrono::milliseconds(1500)) ==
        "2026-01-01T08:00:01Z");
  CHECK(formatMicroTime(*t + std::chrono::microseconds(1234567)) == "2026-01-01T00:00:01.234567Z");
  auto offset = parseTimestamp("2026-01-01T02:00:00+02:00");
  REQUIRE(offset);
  CHECK(*offset == *t);
  auto fraction = parseTimestamp("2026-01-01T00:00:00.5Z");
  REQUIRE(fraction);
  CHECK(*fraction - *t == std::chrono::milliseconds(500));
  for (const char* bad : {"", "2026-01-01", "2026-01-01T00:00:00", "2026-01-01 00:00:00Z",
                          "2026-01-01T00:00:00.Z", "2026-13-01T00:00:00Zx"}) {
    INFO(bad);
    CHECK_FALSE(parseTimestamp(bad));
  }
}

TEST_CASE("status keeps transition times and patches only what changed", "[controller][reconcile]") {
  WallTime now = *parseTimestamp("2026-01-01T00:10:00Z");
  Json stored = {
      {"phase", "Provisioning"},
      {"lastActivity", "2026-01-01T00:09:00Z"},
      {"publicExposure", {{"phase", "Ready"}}},
      {"conditions",
       {{{"type", "Provisioned"}, {"status", "True"}, {"lastTransitionTime", "2026-01-01T00:00:05Z"}},
        {{"type", "Ready"}, {"status", "False"}, {"lastTransitionTime", "2026-01-01T00:00:05Z"}}}}};
  StatusReport report;
  report.phase = "Ready";
  report.message = "ok";
  report.generation = 2;
  report.ns = "sess-a";
  report.conditions = {{"Provisioned", true, "Applied", "m"}, {"Ready", true, "Provisioned", "m"}};
  Json desired = desiredStatus(stored, report, now);
  CHECK(desired["conditions"][0]["lastTransitionTime"] == "2026-01-01T00:00:05Z");
  CHECK(desired["conditions"][1]["lastTransitionTime"] == "2026-01-01T00:10:00Z");
  CHECK(desired["conditions"][1]["observedGeneration"] == 2);
  Json patch = statusPatch(stored, desired);
  CHECK(patch["status"]["publicExposure"].is_null());
  CHECK(patch["status"].contains("publicExposure"));
  CHECK_FALSE(patch["status"].contains("lastActivity"));
  CHECK(patch["status"]["phase"] == "Ready");
  Json applied = stored;
  applied.merge_patch(patch["status"]);
  CHECK(statusPatch(applied, desiredStatus(applied, report, now)).is_null());
  CHECK(conditionIsTrue(applied, "Ready"));
  CHECK_FALSE(conditionIsTrue(stored, "Ready"));
}

TEST_CASE("controller flags parse with defaults and clear errors", "[controller][options]") {
  auto defaults = parseOptions({});
  REQUIRE(defaults);
  CHECK(defaults->workers == 4);
  CHECK(defaults->metricsListen == "127.0.0.1:8081");
  CHECK(defaults->leaderElectNamespace == "sessiongate-system");
  CHECK_FALSE(defaults->leaderElect);
  CHECK_FALSE(defaults->leaderElectIdentity.empty());

  auto set = parseOptions({"--leader-elect", "--leader-election-namespace=ns1", "--workers", "8",
                           "--metrics-listen=0.0.0.0:8080", "--leader-elect-identity", "pod-a",
                           "--log-format=json"});
  REQUIRE(set);
  CHECK(set->leaderElect);
  CHECK(set->leaderElectNamespace == "ns1");
  CHECK(set->workers == 8);
  CHECK(set->leaderElectIdentity == "pod-a");
  CHECK(set->logFormat == "json");

  struct Row {
    std::vector<std::string> args;
    std::string error;
  };
  std::vector<Row> rows = {
      {{"--workers", "0"}, "flag --workers: expected an integer of at least 1, got \"0\""},
      {{"--workers"}, "flag --workers needs a value"},
      {{"--nope"}, "unknown flag --nope; see --help"},
      {{"stray"}, "unexpected argument \"stray\"; see --help"},
      {{"--log-format=xml"}, "flag --log-format: expected text or json, got \"xml\""},
      {{"--leader-elect=maybe"}, "flag --leader-elect: expected true or false, got \"maybe\""},
      {{"--tracker-url=10.0.0.4:9470"},
       "flag --tracker-url: expected http://HOST:PORT (a comma list or the flag repeated), got "
       "\"10.0.0.4:9470\""},
      {{"--tracker-url=https://t:9470"},
       "flag --tracker-url: expected http://HOST:PORT (a comma list or the flag repeated), got "
       "\"https://t:9470\""},
      {{"--tracker-url=http://a:1,,http://b:2"},
       "flag --tracker-url: expected http://HOST:PORT (a comma list or the flag repeated), got \"\""},
      {{"--tracker-url=http://a:1/activity"},
       "flag --tracker-url: expected http://HOST:PORT (a comma list or the flag repeated), got "
       "\"http://a:1/activity\""},
      {{"--tracker-url"}, "flag --tracker-url needs a value"},
      {{"--idle-warning-lead=10"},
       "flag --idle-warning-lead: expected a duration such as 10m or 90s: time: missing unit in duration "
       "\"10\""},
      {{"--idle-warning-lead=0s"}, "flag --idle-warning-lead: expected a positive duration, got \"0s\""},
      {{"--idle-warning-lead=-5m"}, "flag --idle-warning-lead: expected a positive duration, got \"-5m\""},
      {{"--tracker-selector=app=t"},
       "flag --tracker-selector needs --tracker-namespace: the controller looks for trackers only in the "
       "namespaces it is allowed to list EndpointSlices in (manifests/tracker/rbac.yaml)"},
      {{"--tracker-namespace=t"},
       "flag --tracker-namespace needs --tracker-selector (the labels of the trackers' Services)"},
      {{"--tracker-selector="},
       "flag --tracker-selector: expected a label selector such as app.kubernetes.io/name=sessiongate-tracker, "
       "got \"\""},
      {{"--tracker-selector", "app = t"},
       "flag --tracker-selector: expected a label selector such as app.kubernetes.io/name=sessiongate-tracker, "
       "got \"app = t\""},
      {{"--tracker-namespace=a,Tracker"},
       "flag --tracker-namespace: expected a namespace name (a DNS label: lower-case letters, digits and '-'), "
       "a comma list or the flag repeated, got \"Tracker\""},
      {{"--tracker-namespace=a,"},
       "flag --tracker-namespace: expected a namespace name (a DNS label: lower-case letters, digits and '-'), "
       "a comma list or the flag repeated, got \"\""},
      {{"--tracker-port=0"}, "flag --tracker-port: expected a port number 1..65535 or a port name, got \"0\""},
      {{"--tracker-port=65536"},
       "flag --tracker-port: expected a port number 1..65535 or a port name, got \"65536\""},
      {{"--tracker-port=Activity"},
       "flag --tracker-port: expected a port name (lower-case letters, digits and '-', at most 15 characters, "
       "as in the tracker Service's ports[].name) or a number, got \"Activity\""},
  };
  for (const Row& row : rows) {
    auto parsed = parseOptions(row.args);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == row.error);
  }
  CHECK(usage().find("--metrics-listen") != std::string::npos);
}

TEST_CASE("controller inactivity flags: tracker URLs repeated or comma lists, the warning lead",
          "[controller][options]") {
  auto defaults = parseOptions({});
  REQUIRE(defaults);
  CHECK(defaults->trackerUrls.empty());
  CHECK(defaults->idleWarningLead == std::chrono::minutes(10));
  auto set = parseOptions({"--tracker-url=http://10.0.0.4:9470/", "--tracker-url",
                           "http://a.example:1,http://[fd00::1]:9470", "--idle-warning-lead", "90s"});
  REQUIRE(set);
  CHECK(set->trackerUrls ==
        std::vector<std::string>{"http://10.0.0.4:9470", "http://a.example:1", "http://[fd00::1]:9470"});
  CHECK(set->idleWarningLead == std::chrono::seconds(90));
  CHECK(usage().find("--tracker-url URL") != std::string::npos);
  CHECK(defaults->trackerSelector.empty());
  CHECK(defaults->trackerNamespaces.empty());
  CHECK(defaults->trackerPort == "activity");
  auto found = parseOptions({"--tracker-selector", "app.kubernetes.io/name=sessiongate-tracker",
                             "--tracker-namespace=sessiongate-tracker,gw", "--tracker-namespace", "gw",
                             "--tracker-port=9470"});
  REQUIRE(found);
  CHECK(found->trackerSelector == "app.kubernetes.io/name=sessiongate-tracker");
  CHECK(found->trackerNamespaces == std::vector<std::string>{"sessiongate-tracker", "gw"});
  CHECK(found->trackerPort == "9470");
  CHECK(usage().find("--tracker-selector SELECTOR") != std::string::npos);
  CHECK(usage().find("--idle-warning-lead D") != std::string::npos);
}

}  // namespace sessiongate::controller
