// HttpTrackerReader against a real TrackerServer on 127.0.0.1 (port 0) fed by a table the test fills, and
// against a port nothing listens on.
#include "controller/inactivity/tracker_reader.h"

#include <catch2/catch.hpp>

#include "core/timestamps.h"
#include "controller/tracker/tracker_server.h"
#include "tests/support/fake_clock.h"

using namespace sessiongate;
using namespace sessiongate::controller;

namespace {

tracker::WallTime at(const std::string& clock) {
  return *parseTimestamp("2026-12-03T" + clock + "Z");
}

}  // namespace

TEST_CASE("HttpTrackerReader reads a tracker's activity since a time", "[controller][inactivity]") {
  tracker::ActivityTable table(100);
  tracker::FrameClassifier classifier(tracker::CaptureSelection{}, table);
  table.record(*IpAddress::parse("10.244.1.7"), 8888, at("10:01:00"));
  table.record(*IpAddress::parse("10.244.1.7"), 8888, at("10:02:00"));
  table.record(*IpAddress::parse("10.244.1.8"), 22, at("09:00:00"));
  std::vector<tracker::CaptureStatus> captures = {{"eth0", true, "", 1, 0, 0, 0},
                                                  {"eth1", false, "The interface disappeared", 2, 0, 0, 0}};
  FakeClock clock;
  clock.setWall(at("10:05:00"));
  tracker::TrackerServer server({"node-a", &table, &classifier, [&] { return captures; }, &clock});
  auto port = server.start("127.0.0.1:0");
  REQUIRE(port);
  const std::string url = "http://127.0.0.1:" + std::to_string(*port);

  TrackerReading reading = HttpTrackerReader::readOne(url, at("10:00:00"), std::chrono::seconds(5));
  CHECK(reading.source == url);
  CHECK(reading.read);
  CHECK_FALSE(reading.capturing);
  CHECK(reading.problem == "interface eth1 is not captured: The interface disappeared");
  CHECK(reading.destinations ==
        std::vector<tracker::ActivityEntry>{{*IpAddress::parse("10.244.1.7"), 8888, 2, at("10:02:00")}});

  captures[1].capturing = true;
  HttpTrackerReader reader({url}, std::chrono::seconds(5));
  auto all = reader.read(std::nullopt);
  REQUIRE(all.size() == 1);
  CHECK(all[0].capturing);
  CHECK(all[0].problem.empty());
  CHECK(all[0].destinations.size() == 2);
  server.stop();
}

TEST_CASE("HttpTrackerReader says why a tracker could not be read", "[controller][inactivity]") {
  // A port that was just free: bind one and close it.
  tracker::ActivityTable table(1);
  tracker::FrameClassifier classifier(tracker::CaptureSelection{}, table);
  int freePort = 0;
  {
    FakeClock probeClock;
    probeClock.setWall(at("10:00:00"));
    tracker::TrackerServer probe(
        {"probe", &table, &classifier, [] { return std::vector<tracker::CaptureStatus>{}; }, &probeClock});
    auto port = probe.start("127.0.0.1:0");
    REQUIRE(port);
    freePort = *port;
  }
  TrackerReading reading = HttpTrackerReader::readOne("http://127.0.0.1:" + std::to_string(freePort),
                                                      std::nullopt, std::chrono::seconds(5));
  CHECK_FALSE(reading.read);
  CHECK(reading.problem.rfind("cannot read /activity: ", 0) == 0);
  ObservedActivity observed = observeActivity({}, {reading});
  CHECK_FALSE(observed.complete);
  CHECK(observed.problem == "tracker " + reading.source + ": " + reading.problem);
}
