// Trackers found by label selector: EndpointSlices (as the informers hold them) to the trackers to read, as
// a table of slices with the exact targets expected; the port flag's parser; and HttpTrackerReader over
// discovered targets (a real TrackerServer on 127.0.0.1, an endpoint that is not ready).
#include "controller/inactivity/tracker_endpoints.h"

#include <catch2/catch.hpp>

#include "controller/inactivity/tracker_reader.h"
#include "core/timestamps.h"
#include "controller/tracker/tracker_server.h"
#include "tests/support/fake_clock.h"

using namespace sessiongate;
using namespace sessiongate::controller;

namespace {

// slice is an EndpointSlice as the API server serves it (discovery.k8s.io/v1), shared as the store holds it.
kube::SharedObject slice(const std::string& ns, const std::string& name, const std::string& family, Json ports,
                         const std::vector<Json>& endpoints) {
  return std::make_shared<const Json>(Json{{"apiVersion", "discovery.k8s.io/v1"},
              {"kind", "EndpointSlice"},
              {"metadata",
               {{"namespace", ns},
                {"name", name},
                {"labels",
                 {{"app.kubernetes.io/name", "sessiongate-tracker"},
                  {"kubernetes.io/service-name", "sessiongate-tracker"}}}}},
              {"addressType", family},
              {"ports", std::move(ports)},
              {"endpoints", Json(endpoints)}});
}

Json endpoint(const std::string& address, std::optional<bool> ready, const std::string& pod = "") {
  Json e{{"addresses", Json::array({address})}};
  if (ready) e["conditions"] = Json{{"ready", *ready}, {"serving", *ready}};
  if (!pod.empty()) e["targetRef"] = Json{{"kind", "Pod"}, {"namespace", "sessiongate-tracker"}, {"name", pod}};
  return e;
}

const Json kActivityPort = Json::array({Json{{"name", "activity"}, {"port", 9470}, {"protocol", "TCP"}}});

TrackerTarget readable(const std::string& url) {
  return {url, url, ""};
}

}  // namespace

TEST_CASE("trackerTargets: every ready endpoint of the selected slices, the rest with the reason",
          "[controller][inactivity]") {
  struct Row {
    std::string name;
    std::vector<TrackerSlices> namespaces;
    TrackerPort port;
    std::vector<TrackerTarget> expected;
  };
  const TrackerPort byName{"activity", 0};
  std::vector<Row> rows = {
      {"two nodes, ready (a missing ready condition means ready), ordered by URL",
       {{"sessiongate-tracker",
         true,
         {slice("sessiongate-tracker", "t-abc", "IPv4", kActivityPort,
                {endpoint("10.0.0.5", true, "t-1"), endpoint("10.0.0.4", std::nullopt)})}}},
       byName,
       {readable("http://10.0.0.4:9470"), readable("http://10.0.0.5:9470")}},
      {"a tracker pod not ready: a target that cannot be read, naming the pod",
       {{"sessiongate-tracker",
         true,
         {slice("sessiongate-tracker", "t-abc", "IPv4", kActivityPort,
                {endpoint("10.0.0.4", true), endpoint("10.0.0.5", false, "t-2")})}}},
       byName,
       {readable("http://10.0.0.4:9470"),
        {"http://10.0.0.5:9470", std::nullopt, "the tracker endpoint (pod sessiongate-tracker/t-2) is not ready"}}},
      {"IPv6 slice: the address in brackets; the first address of an endpoint only",
       {{"gw",
         true,
         {slice("gw", "t-v6", "IPv6", kActivityPort,
                {Json{{"addresses", Json::array({"fd00::4", "fd00::44"})}, {"conditions", {{"ready", true}}}}})}}},
       byName,
       {readable("http://[fd00::4]:9470")}},
      {"the port by number; a UDP port of that number does not count",
       {{"gw",
         true,
         {slice("gw", "t-n", "IPv4",
                Json::array({Json{{"name", "dns"}, {"port", 9470}, {"protocol", "UDP"}},
                             Json{{"name", "x"}, {"port", 9470}, {"protocol", "TCP"}}}),
                {endpoint("10.1.0.4", true)})}}},
       TrackerPort{"", 9470},
       {readable("http://10.1.0.4:9470")}},
      {"a slice without the port: unknown, with what to check",
       {{"gw",
         true,
         {slice("gw", "t-p", "IPv4", Json::array({Json{{"name", "metrics"}, {"port", 9100}}}),
                {endpoint("10.1.0.4", true)})}}},
       byName,
       {{"EndpointSlice gw/t-p", std::nullopt,
         "EndpointSlice gw/t-p has no TCP port \"activity\" (see the controller's --tracker-port)"}}},
      {"a Service with no endpoints yet, and an empty namespace: no target (no tracker is found)",
       {{"gw", true, {slice("gw", "t-e", "IPv4", kActivityPort, {})}}, {"other", true, {}}},
       byName,
       {}},
      {"a namespace not listed yet: unknown",
       {{"sessiongate-tracker", false, {}},
        {"gw", true, {slice("gw", "t-g", "IPv4", kActivityPort, {endpoint("10.1.0.9", true)})}}},
       byName,
       {readable("http://10.1.0.9:9470"),
        {"namespace sessiongate-tracker", std::nullopt,
         "the EndpointSlices of the trackers in namespace sessiongate-tracker are not listed yet"}}},
      {"the same endpoint in two slices (a move): once, readable if ready in either",
       {{"gw",
         true,
         {slice("gw", "t-old", "IPv4", kActivityPort, {endpoint("10.1.0.4", false)}),
          slice("gw", "t-new", "IPv4", kActivityPort, {endpoint("10.1.0.4", true)})}}},
       byName,
       {readable("http://10.1.0.4:9470")}},
      {"garbage: no addresses, a non-string address, a port out of range: skipped or unknown",
       {{"gw",
         true,
         {slice("gw", "t-x", "IPv4", kActivityPort,
                {Json{{"addresses", Json::array()}}, Json{{"addresses", Json::array({42})}}, Json{{"conditions", {}}}}),
          slice("gw", "t-y", "IPv4", Json::array({Json{{"name", "activity"}, {"port", 70000}}}),
                {endpoint("10.1.0.5", true)})}}},
       byName,
       {{"EndpointSlice gw/t-y", std::nullopt,
         "EndpointSlice gw/t-y has no TCP port \"activity\" (see the controller's --tracker-port)"}}},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    CHECK(trackerTargets(row.namespaces, row.port) == row.expected);
  }
}

TEST_CASE("parseTrackerPort: a Service port name or a number", "[controller][inactivity]") {
  struct Row {
    std::string text;
    std::optional<std::string> name;
    int number;
  };
  std::vector<Row> rows = {
      {"activity", "activity", 0}, {"9470", "", 9470},  {"1", "", 1},          {"65535", "", 65535},
      {"a-1", "a-1", 0},           {"0", {}, 0},        {"65536", {}, 0},      {"0009470", {}, 0},
      {"-a", {}, 0},               {"a-", {}, 0},       {"a--b", {}, 0},       {"Activity", {}, 0},
      {"", {}, 0},                 {"123-456", {}, 0},  {"a234567890123456", {}, 0},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    auto port = parseTrackerPort(row.text);
    REQUIRE(port.ok() == row.name.has_value());
    if (!port) continue;
    CHECK(port->name == *row.name);
    CHECK(port->number == row.number);
  }
}

TEST_CASE("HttpTrackerReader reads the targets it is given now, and reports those it cannot read",
          "[controller][inactivity]") {
  const auto at = [](const std::string& clock) { return *parseTimestamp("2026-12-03T" + clock + "Z"); };
  tracker::ActivityTable table(100);
  tracker::FrameClassifier classifier(tracker::CaptureSelection{}, table);
  table.record(*IpAddress::parse("10.244.1.7"), 8888, at("10:01:00"));
  std::vector<tracker::CaptureStatus> captures = {{"eth0", true, "", 1, 0, 0, 0}};
  FakeClock clock;
  clock.setWall(at("10:05:00"));
  tracker::TrackerServer server({"node-a", &table, &classifier, [&] { return captures; }, &clock});
  auto port = server.start("127.0.0.1:0");
  REQUIRE(port);
  const std::string url = "http://127.0.0.1:" + std::to_string(*port);

  std::vector<TrackerTarget> targets = {readable(url)};
  HttpTrackerReader reader([&targets] { return targets; }, std::chrono::seconds(5));
  auto first = reader.read(std::nullopt);
  REQUIRE(first.size() == 1);
  CHECK(first[0].source == url);
  CHECK(first[0].read);
  CHECK(first[0].capturing);
  CHECK(first[0].destinations ==
        std::vector<tracker::ActivityEntry>{{*IpAddress::parse("10.244.1.7"), 8888, 1, at("10:01:00")}});

  // A second tracker shows up not ready: its reading says why and makes the round incomplete.
  targets.push_back({"http://10.0.0.5:9470", std::nullopt, "the tracker endpoint (pod t/t-2) is not ready"});
  auto second = reader.read(std::nullopt);
  REQUIRE(second.size() == 2);
  CHECK(second[0].read);
  CHECK(second[1].source == "http://10.0.0.5:9470");
  CHECK_FALSE(second[1].read);
  CHECK(second[1].problem == "the tracker endpoint (pod t/t-2) is not ready");
  ObservedActivity observed = observeActivity({{*IpAddress::parse("10.244.1.7")}, {}}, second);
  CHECK_FALSE(observed.complete);
  CHECK(observed.latest == at("10:01:00"));
  CHECK(observed.problem == "tracker http://10.0.0.5:9470: the tracker endpoint (pod t/t-2) is not ready");
  server.stop();
}
