#include "controller/tracker/tracker_options.h"

#include <unistd.h>

#include <charconv>

#include "core/duration.h"

namespace sessiongate::tracker {
namespace {

std::vector<std::string> commaList(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

Result<long long> parseNumber(const std::string& flag, const std::string& text, long long min,
                              long long max) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return Error{"flag --" + flag + ": expected an integer from " + std::to_string(min) + " to " +
                 std::to_string(max) + ", got \"" + text + "\""};
  return value;
}

std::string hostName() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == 0) return "unknown";
  return host;
}

}  // namespace

const CommandSpec& trackerCommand() {
  static const CommandSpec spec{
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
          {"log-format", "text|json", "log line format", false, "text"},
          {"log-level", "LEVEL", "trace, debug, info, warn, error", false, "info"},
      },
      {}};
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
  options.interfaces = commaList(*parsed->flag("interfaces"));
  if (options.interfaces.empty()) return Error{"flag --interfaces: name at least one interface"};
  auto selection = CaptureSelection::parse(commaList(parsed->flag("ports").value_or("")),
                                           commaList(parsed->flag("destinations").value_or("")));
  if (!selection) return Error{selection.error()};
  options.selection = *selection;
  options.listen = *parsed->flag("listen");
  options.name = parsed->flag("name").value_or(hostName());
  auto snaplen = parseNumber("snaplen", *parsed->flag("snaplen"), 96, 65535);
  if (!snaplen) return Error{snaplen.error()};
  options.capture.snapLength = static_cast<int>(*snaplen);
  auto buffer = parseNumber("buffer-size", *parsed->flag("buffer-size"), 65536, 1LL << 30);
  if (!buffer) return Error{buffer.error()};
  options.capture.bufferBytes = static_cast<int>(*buffer);
  auto entries = parseNumber("max-entries", *parsed->flag("max-entries"), 1, 1LL << 24);
  if (!entries) return Error{entries.error()};
  options.maxEntries = static_cast<std::size_t>(*entries);
  auto retry = parseDuration(*parsed->flag("reopen-interval"));
  if (!retry || *retry <= Duration::zero())
    return Error{"flag --reopen-interval: expected a positive duration such as 2s, got \"" +
                 *parsed->flag("reopen-interval") + "\""};
  options.capture.retry = std::chrono::duration_cast<std::chrono::milliseconds>(*retry);
  options.logFormat = *parsed->flag("log-format");
  options.logLevel = *parsed->flag("log-level");
  if (options.logFormat != "text" && options.logFormat != "json")
    return Error{"flag --log-format: expected text or json, got \"" + options.logFormat + "\""};
  return options;
}

}  // namespace sessiongate::tracker
