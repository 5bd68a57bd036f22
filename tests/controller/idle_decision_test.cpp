// Inactivity: which tracker entries belong to a session, and the idle rule as a fixture table at fixed
// times (no clock: now is an argument).
#include "controller/inactivity/idle_decision.h"

#include <catch2/catch.hpp>

#include "core/timestamps.h"

using namespace sessiongate;
using namespace sessiongate::controller;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

// at("10:00:00") is that time on 2026-12-03, UTC.
tracker::WallTime at(const std::string& clock) {
  return *parseTimestamp("2026-12-03T" + clock + "Z");
}

IpAddress ip(const std::string& text) {
  return *IpAddress::parse(text);
}

TrackerReading reading(const std::string& source, std::vector<tracker::ActivityEntry> entries) {
  return TrackerReading{source, true, true, "", std::move(entries)};
}

}  // namespace

TEST_CASE("observeActivity takes pod IPs on any port and exposed IP:port pairs only",
          "[controller][inactivity]") {
  SessionEndpoints endpoints{{ip("10.244.1.7"), ip("fd00:10::7")}, {{ip("203.0.113.5"), 49152}}};
  std::vector<TrackerReading> readings = {
      reading("http://node-a:9470",
              {{ip("10.244.1.7"), 8888, 4, at("10:01:00")},
               {ip("10.244.1.8"), 8888, 9, at("10:09:00")},      // another pod
               {ip("203.0.113.5"), 49153, 2, at("10:08:00")}}),  // another session's port
      reading("http://node-b:9470",
              {{ip("203.0.113.5"), 49152, 1, at("10:05:00")}, {ip("fd00:10::7"), 22, 1, at("10:03:00")}}),
  };
  ObservedActivity observed = observeActivity(endpoints, readings);
  REQUIRE(observed.latest);
  CHECK(*observed.latest == at("10:05:00"));
  CHECK(observed.complete);
  CHECK(observed.problem.empty());

  readings.push_back(TrackerReading{"http://node-c:9470", false, false, "connection refused", {}});
  readings[0].capturing = false;
  readings[0].problem = "interface eth0: The interface disappeared";
  observed = observeActivity(endpoints, readings);
  CHECK(*observed.latest == at("10:05:00"));  // what was read still counts
  CHECK_FALSE(observed.complete);
  CHECK(observed.problem ==
        "tracker http://node-a:9470: interface eth0: The interface disappeared; tracker http://node-c:9470: "
        "connection refused");

  observed = observeActivity(endpoints, {});
  CHECK_FALSE(observed.latest);
  CHECK_FALSE(observed.complete);
  CHECK(observed.problem == "no activity tracker is configured or found");
}

TEST_CASE("decideIdleness fixture table", "[controller][inactivity]") {
  struct Case {
    std::string name;
    std::string created;
    std::optional<std::string> stored;    // status.lastActivity
    std::optional<std::string> observed;  // latest activity the trackers saw
    bool complete;
    bool optedOut;
    std::string now;
    // expected
    IdleAction action;
    std::optional<std::string> write;
    std::optional<std::string> idleAt;
    std::optional<seconds> recheck;
    std::string message;
  };
  // inactivityTimeout 30m, warning lead 10m, lastActivity written when it moved by 1m.
  // One case per row reads better than one field per line.
  // clang-format off
  const std::vector<Case> cases = {
      {"new session, nothing seen: creation counts as activity", "10:00:00", {}, {}, true, false, "10:05:00",
       IdleAction::Active, {}, "10:30:00", seconds(900), ""},
      {"nothing seen, inside the warning lead", "10:00:00", {}, {}, true, false, "10:20:00", IdleAction::IdleSoon, {},
       "10:30:00", seconds(600),
       "no connection since 2026-12-03T10:00:00Z; the session ends at 2026-12-03T10:30:00Z unless it is used "
       "(inactivityTimeout 30m0s)"},
      {"nothing seen past the timeout", "10:00:00", {}, {}, true, false, "10:30:00", IdleAction::EndIdle, {},
       "10:30:00", {},
       "no connection since 2026-12-03T10:00:00Z (inactivityTimeout 30m0s); the idle session is being deleted"},
      {"first activity is written", "10:00:00", {}, "10:10:00", true, false, "10:12:00", IdleAction::Active,
       "10:10:00", "10:40:00", seconds(1080), ""},
      {"activity 30 s after the stored one is not written (rate limit) but counts", "10:00:00", "10:10:00",
       "10:10:30", true, false, "10:31:00", IdleAction::IdleSoon, {}, "10:40:30", seconds(570),
       "no connection since 2026-12-03T10:10:30Z; the session ends at 2026-12-03T10:40:30Z unless it is used "
       "(inactivityTimeout 30m0s)"},
      {"activity a minute after the stored one is written", "10:00:00", "10:10:00", "10:11:00", true, false,
       "10:12:00", IdleAction::Active, "10:11:00", "10:41:00", seconds(1140), ""},
      {"a tracker restarted (its table is empty): the stored lastActivity still counts", "10:00:00", "10:25:00", {},
       true, false, "10:40:00", IdleAction::Active, {}, "10:55:00", seconds(300), ""},
      {"a tracker cannot be read inside the warning lead: no warning, no data", "10:00:00", {}, {}, false, false,
       "10:25:00", IdleAction::NoData, {}, "10:30:00", seconds(30),
       "no connection since 2026-12-03T10:00:00Z as far as the trackers tell, but activity is unknown (tracker "
       "http://t: connection refused); the session is not ended while a tracker cannot be read"},
      {"a tracker cannot be read past the timeout: never ended", "10:00:00", {}, {}, false, false, "12:00:00",
       IdleAction::NoData, {}, "10:30:00", seconds(30),
       "no connection since 2026-12-03T10:00:00Z as far as the trackers tell, but activity is unknown (tracker "
       "http://t: connection refused); the session is not ended while a tracker cannot be read"},
      {"a tracker cannot be read but another saw recent activity: active", "10:00:00", {}, "10:50:00", false, false,
       "10:55:00", IdleAction::Active, "10:50:00", "11:20:00", seconds(900), ""},
      {"opted out by annotation: never ended, activity still written", "10:00:00", {}, "10:01:00", true, true,
       "12:00:00", IdleAction::OptedOut, "10:01:00", {}, {},
       "idle shutdown is disabled by the annotation sessiongate.io/ignore-inactivity: \"true\""},
  };
  // clang-format on
  IdleSettings settings;
  settings.inactivityTimeout = minutes(30);
  settings.warningLead = minutes(10);
  settings.lastActivityWriteInterval = minutes(1);
  for (const Case& c : cases) {
    INFO(c.name);
    IdleInputs inputs;
    inputs.created = at(c.created);
    if (c.stored) inputs.storedLastActivity = at(*c.stored);
    if (c.observed) inputs.observed.latest = at(*c.observed);
    inputs.observed.complete = c.complete;
    if (!c.complete) inputs.observed.problem = "tracker http://t: connection refused";
    inputs.optedOut = c.optedOut;
    IdleDecision d = decideIdleness(settings, inputs, at(c.now));
    CHECK(std::string(idleActionName(d.action)) == idleActionName(c.action));
    CHECK(d.writeLastActivity == (c.write ? std::optional(at(*c.write)) : std::nullopt));
    CHECK(d.idleAt == (c.idleAt ? std::optional(at(*c.idleAt)) : std::nullopt));
    CHECK(d.recheckAfter == (c.recheck ? std::optional<std::chrono::nanoseconds>(*c.recheck) : std::nullopt));
    CHECK(d.message == c.message);
  }
}

TEST_CASE("decideIdleness: a zero timeout disables, a lead longer than the timeout warns from the start",
          "[controller][inactivity]") {
  IdleInputs inputs;
  inputs.created = at("10:00:00");
  inputs.observed.complete = true;
  IdleSettings settings;
  settings.inactivityTimeout = std::chrono::nanoseconds::zero();
  CHECK(decideIdleness(settings, inputs, at("23:00:00")).action == IdleAction::Disabled);
  settings.inactivityTimeout = minutes(5);
  settings.warningLead = minutes(10);
  IdleDecision d = decideIdleness(settings, inputs, at("10:00:00"));
  CHECK(d.action == IdleAction::IdleSoon);
  CHECK(d.recheckAfter == std::chrono::nanoseconds(minutes(5)));
}

TEST_CASE("optedOut reads the annotation on the session or its namespace", "[controller][inactivity]") {
  CHECK(optedOut({{"sessiongate.io/ignore-inactivity", "true"}}, {}));
  CHECK(optedOut({}, {{"sessiongate.io/ignore-inactivity", "true"}}));
  CHECK_FALSE(optedOut({{"sessiongate.io/ignore-inactivity", "false"}}, {}));
  CHECK_FALSE(optedOut({}, {}));
}
