#include "controller/tracker/capture_selection.h"

#include <charconv>

namespace sessiongate::tracker {
namespace {

std::optional<std::uint16_t> parsePort(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

Result<PortRange> parsePortRange(const std::string& entry) {
  const std::string problem = "--ports entry \"" + entry + "\": ";
  auto dash = entry.find('-');
  if (dash == std::string::npos) {
    auto port = parsePort(entry);
    if (!port) return Error{problem + "expected a port 1-65535 or a range FIRST-LAST"};
    return PortRange{*port, *port};
  }
  auto first = parsePort(std::string_view(entry).substr(0, dash));
  auto last = parsePort(std::string_view(entry).substr(dash + 1));
  if (!first || !last) return Error{problem + "expected a port 1-65535 or a range FIRST-LAST"};
  if (*first > *last) return Error{problem + "the range is empty (first port after last)"};
  return PortRange{*first, *last};
}

Result<IpRange> parseDestination(const std::string& entry) {
  const std::string problem = "--destinations entry \"" + entry + "\": ";
  if (entry.find('-') != std::string::npos)
    return Error{problem + "give an address or a CIDR; a-b ranges cannot be expressed as a capture filter"};
  auto range = entry.find('/') == std::string::npos ? parseIpRange(entry) : parseCidr(entry);
  if (!range) return Error{problem + range.error()};
  return *range;
}

std::string portClause(const std::vector<PortRange>& ports) {
  if (ports.empty()) return "";
  std::string clause;
  for (const PortRange& p : ports) {
    if (!clause.empty()) clause += " or ";
    clause += p.first == p.last
                  ? "tcp dst port " + std::to_string(p.first)
                  : "tcp dst portrange " + std::to_string(p.first) + "-" + std::to_string(p.last);
  }
  return " and (" + clause + ")";
}

std::string addressClause(const std::vector<IpRange>& destinations, IpAddress::Family family) {
  std::string clause;
  for (const IpRange& d : destinations) {
    if (d.first.family != family) continue;
    if (!clause.empty()) clause += " or ";
    clause += (d.first == d.last ? "dst host " : "dst net ") + d.entry;
  }
  return clause.empty() ? "" : " and (" + clause + ")";
}

bool hasFamily(const std::vector<IpRange>& destinations, IpAddress::Family family) {
  if (destinations.empty()) return true;
  for (const IpRange& d : destinations)
    if (d.first.family == family) return true;
  return false;
}

}  // namespace

Result<CaptureSelection> CaptureSelection::parse(const std::vector<std::string>& ports,
                                                 const std::vector<std::string>& destinations) {
  CaptureSelection selection;
  for (const std::string& entry : ports) {
    auto range = parsePortRange(entry);
    if (!range) return Error{range.error()};
    selection.ports.push_back(*range);
  }
  for (const std::string& entry : destinations) {
    auto range = parseDestination(entry);
    if (!range) return Error{range.error()};
    selection.destinations.push_back(*range);
  }
  return selection;
}

bool CaptureSelection::matches(const IpAddress& destination, std::uint16_t port) const {
  bool portMatches = ports.empty();
  for (const PortRange& p : ports) portMatches = portMatches || (p.first <= port && port <= p.last);
  if (!portMatches) return false;
  if (destinations.empty()) return true;
  for (const IpRange& d : destinations)
    if (d.contains(destination)) return true;
  return false;
}

std::string bpfFilter(const CaptureSelection& selection, LinkType link) {
  const std::string ports = portClause(selection.ports);
  std::vector<std::string> branches;
  if (hasFamily(selection.destinations, IpAddress::Family::V4)) {
    branches.push_back("(ip and tcp[13] & 0x12 == 0x02" + ports +
                       addressClause(selection.destinations, IpAddress::Family::V4) + ")");
  }
  if (hasFamily(selection.destinations, IpAddress::Family::V6)) {
    // ip6[6] is the first next header; ip6[53] the TCP flags when TCP follows the fixed header directly.
    branches.push_back("(ip6 and ((ip6[6] == 6 and ip6[53] & 0x12 == 0x02" + ports +
                       ") or ip6[6] == 0 or ip6[6] == 43 or ip6[6] == 44 or ip6[6] == 51 or ip6[6] == 60)" +
                       addressClause(selection.destinations, IpAddress::Family::V6) + ")");
  }
  std::string any;
  for (const std::string& b : branches) any += (any.empty() ? "" : " or ") + b;
  if (link != LinkType::Ethernet) return any;
  // Each `vlan` moves the offsets of everything after it, so the untagged test comes first.
  return "(" + any + ") or (vlan and ((" + any + ") or (vlan and (" + any + "))))";
}

}  // namespace sessiongate::tracker
