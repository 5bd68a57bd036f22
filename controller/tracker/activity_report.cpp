#include "controller/tracker/activity_report.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/metrics_text.h"

namespace sessiongate::tracker {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;

std::string seconds(WallTime t) {
  auto micros = duration_cast<microseconds>(t.time_since_epoch()).count();
  char text[48];
  std::snprintf(text, sizeof text, "%lld.%06lld", static_cast<long long>(micros / 1000000),
                static_cast<long long>(micros % 1000000));
  return text;
}

std::optional<WallTime> parseUnixSeconds(std::string_view s) {
  auto dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  long long secs = 0;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), secs);
  if (whole.empty() || ec != std::errc() || end != whole.data() + whole.size() || secs < 0)
    return std::nullopt;
  long long micros = 0;
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    if (frac.empty()) return std::nullopt;
    long long scale = 100000;
    for (char c : frac) {
      if (c < '0' || c > '9') return std::nullopt;
      micros += (c - '0') * scale;
      scale /= 10;
    }
  }
  return WallTime(duration_cast<WallTime::duration>(std::chrono::seconds(secs) + microseconds(micros)));
}

}  // namespace

Result<WallTime> parseSince(std::string_view text) {
  if (auto t = parseTimestamp(text)) return *t;
  if (auto t = parseUnixSeconds(text)) return *t;
  return Error{"since=" + std::string(text) +
               ": expected an RFC 3339 time (2026-12-03T17:00:00Z) or Unix seconds (1796317200.5)"};
}

std::string renderActivity(std::string_view tracker, WallTime now, std::optional<WallTime> since,
                           const std::vector<ActivityEntry>& entries,
                           const std::vector<CaptureStatus>& captures) {
  nlohmann::ordered_json body;
  body["tracker"] = tracker;
  body["now"] = formatTimestamp(now, TimestampPrecision::Micros);
  if (since) body["since"] = formatTimestamp(*since, TimestampPrecision::Micros);
  bool all = !captures.empty();
  auto interfaces = nlohmann::ordered_json::array();
  for (const CaptureStatus& c : captures) {
    all = all && c.capturing;
    interfaces.push_back({{"name", c.interface}, {"capturing", c.capturing}, {"error", c.lastError}});
  }
  body["capturing"] = all;
  body["interfaces"] = interfaces;
  auto destinations = nlohmann::ordered_json::array();
  for (const ActivityEntry& e : entries) {
    destinations.push_back({{"ip", e.destination.str()},
                            {"port", e.port},
                            {"connections", e.connections},
                            {"lastSeen", formatTimestamp(e.lastSeen, TimestampPrecision::Micros)}});
  }
  body["destinations"] = destinations;
  return body.dump();
}

Result<TrackerActivity> parseActivity(std::string_view text) {
  auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return Error{"the tracker's answer is not a JSON object"};
  try {
    TrackerActivity activity;
    activity.tracker = body.at("tracker").get<std::string>();
    auto now = parseSince(body.at("now").get<std::string>());
    if (!now) return Error{"\"now\" is not a time: " + now.error()};
    activity.now = *now;
    activity.capturing = body.at("capturing").get<bool>();
    for (const auto& i : body.at("interfaces")) {
      CaptureStatus status;
      status.interface = i.at("name").get<std::string>();
      status.capturing = i.at("capturing").get<bool>();
      status.lastError = i.value("error", "");
      activity.interfaces.push_back(status);
    }
    for (const auto& d : body.at("destinations")) {
      auto ip = IpAddress::parse(d.at("ip").get<std::string>());
      if (!ip) return Error{"destination ip: " + ip.error()};
      auto seen = parseSince(d.at("lastSeen").get<std::string>());
      if (!seen) return Error{"destination lastSeen: " + seen.error()};
      activity.destinations.push_back(ActivityEntry{*ip, d.at("port").get<std::uint16_t>(),
                                                    d.at("connections").get<std::uint64_t>(), *seen});
    }
    return activity;
  } catch (const nlohmann::json::exception& e) {
    return Error{std::string("the tracker's answer lacks a field or has the wrong type: ") + e.what()};
  }
}

std::string renderMetrics(const std::vector<ActivityEntry>& entries, const FrameCounts& frames,
                          std::uint64_t tableRefused, const std::vector<CaptureStatus>& captures) {
  MetricsText out;
  auto perDestination = [&](const char* name, auto value) {
    for (const ActivityEntry& e : entries) {
      std::string ip = e.destination.str();
      std::string port = std::to_string(e.port);
      out.sampleText(name, {{"destination_ip", ip}, {"destination_port", port}}, value(e));
    }
  };
  out.family("sessiongate_tracker_connections_total", MetricType::Counter,
             "TCP SYNs without ACK seen per destination.");
  perDestination("sessiongate_tracker_connections_total",
                 [](const ActivityEntry& e) { return std::to_string(e.connections); });
  out.family("sessiongate_tracker_last_connection_timestamp_seconds", MetricType::Gauge,
             "Capture time of the last SYN per destination.");
  perDestination("sessiongate_tracker_last_connection_timestamp_seconds",
                 [](const ActivityEntry& e) { return seconds(e.lastSeen); });
  out.family("sessiongate_tracker_frames_total", MetricType::Counter,
             "Frames that passed the capture filter, by what they were.");
  for (std::size_t i = 0; i < kFrameVerdictCount; ++i) {
    out.sample("sessiongate_tracker_frames_total", {{"verdict", verdictName(static_cast<FrameVerdict>(i))}},
               frames.verdicts[i]);
  }
  out.family("sessiongate_tracker_syn_outside_selection_total", MetricType::Counter,
             "SYNs that passed the filter but not the ports and destinations.");
  out.sample("sessiongate_tracker_syn_outside_selection_total", {}, frames.outsideSelection);
  out.family("sessiongate_tracker_table_refused_total", MetricType::Counter,
             "SYNs not counted because the destination table was full.");
  out.sample("sessiongate_tracker_table_refused_total", {}, tableRefused);
  out.family("sessiongate_tracker_capture_up", MetricType::Gauge, "Whether the interface is being captured.");
  for (const CaptureStatus& c : captures)
    out.sample("sessiongate_tracker_capture_up", {{"interface", c.interface}}, c.capturing ? 1 : 0);
  struct Family {
    const char* name;
    const char* help;
    std::uint64_t CaptureStatus::*field;
  };
  const Family families[] = {
      {"sessiongate_tracker_capture_opens_total", "Times the capture was activated (reopens included).",
       &CaptureStatus::opens},
      {"sessiongate_tracker_capture_received_total", "Packets received by the filter (pcap_stats ps_recv).",
       &CaptureStatus::received},
      {"sessiongate_tracker_capture_dropped_total", "Packets dropped for lack of buffer space (pcap_stats ps_drop).",
       &CaptureStatus::dropped},
      {"sessiongate_tracker_capture_interface_dropped_total",
       "Packets dropped by the interface or driver (pcap_stats ps_ifdrop).", &CaptureStatus::ifDropped},
  };
  for (const Family& f : families) {
    out.family(f.name, MetricType::Counter, f.help);
    for (const CaptureStatus& c : captures) out.sample(f.name, {{"interface", c.interface}}, c.*(f.field));
  }
  return out.take();
}

}  // namespace sessiongate::tracker
