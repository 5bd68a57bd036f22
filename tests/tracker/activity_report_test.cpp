// The /activity JSON and the /metrics text, exact; since= parsing; the flags.
#include "controller/tracker/activity_report.h"

#include <catch2/catch.hpp>

#include "controller/tracker/tracker_options.h"
#include "tests/tracker/frame_builder.h"

using namespace sessiongate;
using namespace sessiongate::tracker;
using testing::ip;

namespace {

WallTime at(long seconds, long micros) {
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::seconds(seconds) +
                                                                 std::chrono::microseconds(micros)));
}

// 2026-12-03T17:00:00Z
constexpr long kNoon = 1796317200;

}  // namespace

TEST_CASE("formatTimestamp and parseSince agree on RFC 3339 and Unix seconds", "[tracker][report]") {
  CHECK(formatTimestamp(at(kNoon, 250000), TimestampPrecision::Micros) == "2026-12-03T17:00:00.250000Z");
  CHECK(formatTimestamp(at(0, 0), TimestampPrecision::Micros) == "1970-01-01T00:00:00.000000Z");
  struct Case {
    std::string text;
    WallTime expected;
  };
  const std::vector<Case> cases = {
      {"2026-12-03T17:00:00Z", at(kNoon, 0)},
      {"2026-12-03T17:00:00.25Z", at(kNoon, 250000)},
      {"2026-12-03T17:00:00.250000Z", at(kNoon, 250000)},
      {"2026-12-03T18:30:00+01:30", at(kNoon, 0)},
      {"2026-12-03T16:00:00-01:00", at(kNoon, 0)},
      {"1796317200", at(kNoon, 0)},
      {"1796317200.5", at(kNoon, 500000)},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto parsed = parseSince(c.text);
    REQUIRE(parsed);
    CHECK(*parsed == c.expected);
  }
  for (std::string bad : {"", "yesterday", "2026-12-03T17:00:00", "2026-13-03T17:00:00Z",
                          "2026-12-03 17:00:00Z", "1796317200.", "-5", "2026-12-03T17:00:00Zjunk"}) {
    INFO(bad);
    auto parsed = parseSince(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() ==
          "since=" + bad +
              ": expected an RFC 3339 time (2026-12-03T17:00:00Z) or Unix seconds (1796317200.5)");
  }
}

TEST_CASE("renderActivity writes the documented JSON", "[tracker][report]") {
  std::vector<ActivityEntry> entries = {{ip("10.0.0.5"), 22, 3, at(kNoon - 2, 250000)},
                                        {ip("fd00::5"), 443, 1, at(kNoon - 1, 0)}};
  std::vector<CaptureStatus> captures = {{"eth0", true, "", 1, 10, 0, 0},
                                         {"eth1", false, "The interface disappeared", 2, 5, 1, 0}};
  CHECK(
      renderActivity("node-a", at(kNoon, 0), at(kNoon - 60, 0), entries, captures) ==
      R"({"tracker":"node-a","now":"2026-12-03T17:00:00.000000Z","since":"2026-12-03T16:59:00.000000Z",)"
      R"("capturing":false,"interfaces":[{"name":"eth0","capturing":true,"error":""},)"
      R"({"name":"eth1","capturing":false,"error":"The interface disappeared"}],)"
      R"("destinations":[{"ip":"10.0.0.5","port":22,"connections":3,"lastSeen":"2026-12-03T16:59:58.250000Z"},)"
      R"({"ip":"fd00::5","port":443,"connections":1,"lastSeen":"2026-12-03T16:59:59.000000Z"}]})");
  // No interface at all is not "capturing": nothing could have been seen.
  CHECK(renderActivity("node-a", at(kNoon, 0), std::nullopt, {}, {}) ==
        R"({"tracker":"node-a","now":"2026-12-03T17:00:00.000000Z","capturing":false,"interfaces":[],)"
        R"("destinations":[]})");
}

TEST_CASE("renderMetrics writes every family with exact values", "[tracker][report]") {
  std::vector<ActivityEntry> entries = {{ip("10.0.0.5"), 22, 3, at(kNoon, 250000)}};
  FrameCounts frames;
  frames.verdicts = {5, 1, 0, 0, 2, 1, 0};
  frames.outsideSelection = 2;
  std::vector<CaptureStatus> captures = {{"eth0", true, "", 2, 100, 3, 1}};
  CHECK(
      renderMetrics(entries, frames, 4, captures) ==
      "# HELP sessiongate_tracker_connections_total TCP SYNs without ACK seen per destination.\n"
      "# TYPE sessiongate_tracker_connections_total counter\n"
      "sessiongate_tracker_connections_total{destination_ip=\"10.0.0.5\",destination_port=\"22\"} 3\n"
      "# HELP sessiongate_tracker_last_connection_timestamp_seconds Capture time of the last SYN per "
      "destination.\n"
      "# TYPE sessiongate_tracker_last_connection_timestamp_seconds gauge\n"
      "sessiongate_tracker_last_connection_timestamp_seconds{destination_ip=\"10.0.0.5\",destination_port="
      "\"22\"} "
      "1796317200.250000\n"
      "# HELP sessiongate_tracker_frames_total Frames that passed the capture filter, by what they were.\n"
      "# TYPE sessiongate_tracker_frames_total counter\n"
      "sessiongate_tracker_frames_total{verdict=\"tcp_syn\"} 5\n"
      "sessiongate_tracker_frames_total{verdict=\"tcp_other\"} 1\n"
      "sessiongate_tracker_frames_total{verdict=\"not_tcp\"} 0\n"
      "sessiongate_tracker_frames_total{verdict=\"not_ip\"} 0\n"
      "sessiongate_tracker_frames_total{verdict=\"later_fragment\"} 2\n"
      "sessiongate_tracker_frames_total{verdict=\"truncated\"} 1\n"
      "sessiongate_tracker_frames_total{verdict=\"malformed\"} 0\n"
      "# HELP sessiongate_tracker_syn_outside_selection_total SYNs that passed the filter but not the ports "
      "and "
      "destinations.\n"
      "# TYPE sessiongate_tracker_syn_outside_selection_total counter\n"
      "sessiongate_tracker_syn_outside_selection_total 2\n"
      "# HELP sessiongate_tracker_table_refused_total SYNs not counted because the destination table was "
      "full.\n"
      "# TYPE sessiongate_tracker_table_refused_total counter\n"
      "sessiongate_tracker_table_refused_total 4\n"
      "# HELP sessiongate_tracker_capture_up Whether the interface is being captured.\n"
      "# TYPE sessiongate_tracker_capture_up gauge\n"
      "sessiongate_tracker_capture_up{interface=\"eth0\"} 1\n"
      "# HELP sessiongate_tracker_capture_opens_total Times the capture was activated (reopens included).\n"
      "# TYPE sessiongate_tracker_capture_opens_total counter\n"
      "sessiongate_tracker_capture_opens_total{interface=\"eth0\"} 2\n"
      "# HELP sessiongate_tracker_capture_received_total Packets received by the filter (pcap_stats "
      "ps_recv).\n"
      "# TYPE sessiongate_tracker_capture_received_total counter\n"
      "sessiongate_tracker_capture_received_total{interface=\"eth0\"} 100\n"
      "# HELP sessiongate_tracker_capture_dropped_total Packets dropped for lack of buffer space (pcap_stats "
      "ps_drop).\n"
      "# TYPE sessiongate_tracker_capture_dropped_total counter\n"
      "sessiongate_tracker_capture_dropped_total{interface=\"eth0\"} 3\n"
      "# HELP sessiongate_tracker_capture_interface_dropped_total Packets dropped by the interface or driver "
      "(pcap_stats ps_ifdrop).\n"
      "# TYPE sessiongate_tracker_capture_interface_dropped_total counter\n"
      "sessiongate_tracker_capture_interface_dropped_total{interface=\"eth0\"} 1\n");
}

TEST_CASE("parseTrackerOptions reads the flags and names the wrong one", "[tracker][options]") {
  auto options = parseTrackerOptions({"--interfaces", "eth0,veth1", "--ports=22,30000-32767",
                                      "--destinations", "10.0.0.0/8", "--name", "node-a", "--reopen-interval",
                                      "500ms", "--buffer-size", "1048576", "--listen", "127.0.0.1:0"});
  REQUIRE(options);
  CHECK(options->interfaces == std::vector<std::string>{"eth0", "veth1"});
  CHECK(options->selection.ports == std::vector<PortRange>{{22, 22}, {30000, 32767}});
  CHECK(options->capture.retry == std::chrono::milliseconds(500));
  CHECK(options->capture.bufferBytes == 1048576);
  CHECK(options->capture.snapLength == 256);
  CHECK(options->maxEntries == 65536);
  CHECK(options->name == "node-a");
  CHECK(options->listen == "127.0.0.1:0");

  struct Case {
    std::vector<std::string> args;
    std::string error;
  };
  const std::vector<Case> cases = {
      {{}, "missing required flag --interfaces NAME[,NAME...]"},
      {{"--interfaces", ","}, "flag --interfaces: empty item in \",\""},
      {{"--interfaces", "eth0", "--interfaces", "eth1"}, "flag --interfaces given twice"},
      {{"--interfaces", "--ports", "22"},
       "flag --interfaces needs a value (NAME[,NAME...]) but is followed by --ports; write --interfaces=VALUE if "
       "the value starts with --"},
      {{"--interfaces", "eth0", "--ports", "0"},
       "--ports entry \"0\": expected a port 1-65535 or a range FIRST-LAST"},
      {{"--interfaces", "eth0", "--snaplen", "20"},
       "flag --snaplen: expected a whole number from 96 to 65535, got \"20\""},
      {{"--interfaces", "eth0", "--reopen-interval", "0s"},
       "flag --reopen-interval: expected a duration of at least 1ms such as 25s, 1m30s or 500ms, got \"0s\""},
      {{"--interfaces", "eth0", "--log-format", "xml"},
       "flag --log-format: \"xml\" is not one of text, json"},
      {{"--interfaces", "eth0", "--log-level", "informational"},
       "flag --log-level: \"informational\" is not one of trace, debug, info, warn, error, critical, off"},
      {{"--interfaces", "eth0", "--promiscuous"}, "unknown flag --promiscuous"},
  };
  for (const Case& c : cases) {
    auto parsed = parseTrackerOptions(c.args);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == c.error);
  }
  auto help = parseTrackerOptions({"--help"});
  REQUIRE(help);
  CHECK(help->help);
}

TEST_CASE("parseActivity reads what renderActivity writes, and refuses what is not an answer",
          "[tracker][report]") {
  std::vector<ActivityEntry> entries = {{ip("10.0.0.5"), 22, 3, at(kNoon - 2, 250000)},
                                        {ip("fd00::5"), 443, 1, at(kNoon - 1, 0)}};
  std::vector<CaptureStatus> captures = {{"eth0", true, "", 1, 10, 0, 0},
                                         {"eth1", false, "gone", 2, 5, 1, 0}};
  auto parsed = parseActivity(renderActivity("node-a", at(kNoon, 0), std::nullopt, entries, captures));
  REQUIRE(parsed);
  CHECK(parsed->tracker == "node-a");
  CHECK(parsed->now == at(kNoon, 0));
  CHECK_FALSE(parsed->capturing);
  REQUIRE(parsed->interfaces.size() == 2);
  CHECK(parsed->interfaces[1].interface == "eth1");
  CHECK(parsed->interfaces[1].lastError == "gone");
  CHECK(parsed->destinations == entries);

  CHECK(parseActivity("<html>").error() == "the tracker's answer is not a JSON object");
  CHECK(parseActivity(R"({"tracker":"a"})")
            .error()
            .rfind("the tracker's answer lacks a field or has the wrong type: ", 0) == 0);
  CHECK(
      parseActivity(
          R"({"tracker":"a","now":"2026-12-03T17:00:00Z","capturing":true,"interfaces":[],)"
          R"("destinations":[{"ip":"10.0.0.300","port":22,"connections":1,"lastSeen":"2026-12-03T17:00:00Z"}]})")
          .error()
          .rfind("destination ip: ", 0) == 0);
}
