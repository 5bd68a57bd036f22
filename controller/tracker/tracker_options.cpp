#include "controller/tracker/tracker_options.h"

#include <unistd.h>

#include <charconv>

#include "core/logging.h"

namespace sessiongate::tracker {
namespace {

std::string hostName() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == 0) return "unknown";
  return host;
}

CommandSpec makeTrackerCommand() {
  CommandSpec spec{
      "sessiongate-tracker --interfaces NAME[,NAME...] [flags]",
      "Counts TCP connection attempts (SYN without ACK) per destination address and port with libpcap and\n"
      "serves them as Prometheus /metrics and as JSON on GET /activity?since=TIME for "
      "sessiongate-controller.\n"
      "Needs only CAP_NET_RAW.",
      {
          {"interfaces", "NAME[,NAME...]", "interfaces to capture on; each is reopened when it comes back",
           true, ""},
          {"ports", "PORT|FIRST-LAST[,...]", "destination TCP ports to count (default: every port)", false,
           ""},
          {"destinations", "ADDR|CIDR[,...]",
           "destination addresses and networks, IPv4 or IPv6 (default: any)", false, ""},
          {"listen", "HOST:PORT", "plain HTTP for /metrics, /activity, /healthz, /readyz", false,
           "0.0.0.0:9470"},
          {"name", "NAME", "this tracker's name in /activity (default: the host name)", false, ""},
          {"snaplen", "BYTES", "bytes kept of each frame", false, "256"},
          {"buffer-size", "BYTES", "kernel capture buffer per interface; overflow is counted as dropped",
           false, "3145728"},
          {"max-entries", "N", "destinations remembered; past that, new ones are counted as refused", false,
           "65536"},
          {"reopen-interval", "DURATION", "wait between attempts to reopen a lost interface", false, "2s"},
      },
      {}};
  for (FlagSpec& flag : loggingFlags()) spec.flags.push_back(std::move(flag));
  return spec;
}

}  // namespace

const CommandSpec& trackerCommand() {
  static const CommandSpec spec = makeTrackerCommand();
  return spec;
}

Result<TrackerOptions> parseTrackerOptions(const std::vector<std::string>& args) {
  auto parsed = parseArgs(trackerCommand(), args);
  if (!parsed) return Error{parsed.error()};
  TrackerOptions options;
  if (parsed->help) {
    options.help = true;
    return options;
  }
  auto interfaces = commaList("interfaces", *parsed->flag("interfaces"));
  if (!interfaces) return Error{interfaces.error()};
  options.interfaces = *interfaces;
  std::vector<std::string> ports, destinations;
  if (auto text = parsed->flag("ports")) {
    auto list = commaList("ports", *text);
    if (!list) return Error{list.error()};
    ports = *list;
  }
  if (auto text = parsed->flag("destinations")) {
    auto list = commaList("destinations", *text);
    if (!list) return Error{list.error()};
    destinations = *list;
  }
  auto selection = CaptureSelection::parse(ports, destinations);
  if (!selection) return Error{selection.error()};
  options.selection = *selection;
  options.listen = *parsed->flag("listen");
  options.name = parsed->flag("name").value_or(hostName());
  auto snaplen = flagNumber(*parsed, "snaplen", 96, 65535);
  if (!snaplen) return Error{snaplen.error()};
  options.capture.snapLength = static_cast<int>(*snaplen);
  auto buffer = flagNumber(*parsed, "buffer-size", 65536, 1LL << 30);
  if (!buffer) return Error{buffer.error()};
  options.capture.bufferBytes = static_cast<int>(*buffer);
  auto entries = flagNumber(*parsed, "max-entries", 1, 1LL << 24);
  if (!entries) return Error{entries.error()};
  options.maxEntries = static_cast<std::size_t>(*entries);
  auto retry = flagDuration(*parsed, "reopen-interval", std::chrono::milliseconds(1));
  if (!retry) return Error{retry.error()};
  options.capture.retry = std::chrono::duration_cast<std::chrono::milliseconds>(*retry);
  options.logFormat = *parsed->flag("log-format");
  options.logLevel = *parsed->flag("log-level");
  return options;
}

}  // namespace sessiongate::tracker
