#pragma once
// The tracker's two answers, rendered as text: GET /activity (JSON the controller reads) and GET /metrics
// (Prometheus text exposition). Pure functions of the table, the counters, the capture status and "now".
//
// /activity?since=T answers
//   {"tracker":"node-a","now":"2026-12-03T17:00:00.000000Z","since":"...",        ("since" only when given)
//    "capturing":true,                       (every interface is capturing: no data here is inactivity)
//    "interfaces":[{"name":"eth0","capturing":true,"error":""}],
//    "destinations":[{"ip":"10.0.0.5","port":22,"connections":3,"lastSeen":"2026-12-03T16:59:58.250000Z"}]}
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/tracker/activity_table.h"
#include "controller/tracker/capture_status.h"
#include "controller/tracker/frame_classifier.h"
#include "core/result.h"
#include "core/timestamps.h"

namespace sessiongate::tracker {

// parseSince reads the since= parameter: RFC 3339 ("2026-12-03T17:00:00Z", fractions and offsets allowed)
// or Unix seconds ("1796317200", "1796317200.5"); the error says what is expected.
Result<WallTime> parseSince(std::string_view text);

// TrackerActivity is a parsed /activity answer, as the controller reads it.
struct TrackerActivity {
  std::string tracker;
  WallTime now;
  bool capturing = false;
  std::vector<CaptureStatus> interfaces;  // name, capturing and lastError only
  std::vector<ActivityEntry> destinations;
};

// parseActivity reads an /activity body; the error says what is missing or malformed.
Result<TrackerActivity> parseActivity(std::string_view body);

// renderActivity is the /activity body.
std::string renderActivity(std::string_view tracker, WallTime now, std::optional<WallTime> since,
                           const std::vector<ActivityEntry>& entries,
                           const std::vector<CaptureStatus>& captures);

// renderMetrics is the /metrics body:
//   sessiongate_tracker_connections_total{destination_ip,destination_port}        counter
//   sessiongate_tracker_last_connection_timestamp_seconds{destination_ip,destination_port}  gauge
//   sessiongate_tracker_frames_total{verdict}                                      counter
//   sessiongate_tracker_syn_outside_selection_total, sessiongate_tracker_table_refused_total  counters
//   sessiongate_tracker_capture_up{interface}                                      gauge
//   sessiongate_tracker_capture_opens_total{interface}                             counter
//   sessiongate_tracker_capture_received_total{interface}                          counter (pcap_stats)
//   sessiongate_tracker_capture_dropped_total{interface}                           counter (pcap_stats)
//   sessiongate_tracker_capture_interface_dropped_total{interface}                 counter (pcap_stats)
std::string renderMetrics(const std::vector<ActivityEntry>& entries, const FrameCounts& frames,
                          std::uint64_t tableRefused, const std::vector<CaptureStatus>& captures);

}  // namespace sessiongate::tracker
