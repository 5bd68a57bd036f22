#pragma once
// CaptureSelection is what the tracker counts: TCP SYNs to these destination ports and addresses. The same
// selection gives the kernel's BPF filter (bpfFilter) and the exact check in user space (matches), because
// BPF cannot follow IPv6 extension headers: such packets pass the filter and are decided here.
#include <cstdint>
#include <string>
#include <vector>

#include "controller/tracker/frame_decoder.h"
#include "core/ip_pool.h"
#include "core/result.h"

namespace sessiongate::tracker {

// PortRange is an inclusive range of TCP ports; a single port has first == last.
struct PortRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;
  bool operator==(const PortRange&) const = default;
};

// CaptureSelection is the parsed --ports and --destinations.
struct CaptureSelection {
  std::vector<PortRange> ports;       // empty: every port
  std::vector<IpRange> destinations;  // addresses and CIDRs; empty: every address of both families

  // parse reads port entries ("22", "30000-32767") and destination entries ("10.0.0.7", "10.0.0.0/8",
  // "fd00::/8"); the error names the entry and why it is wrong.
  static Result<CaptureSelection> parse(const std::vector<std::string>& ports,
                                        const std::vector<std::string>& destinations);

  // matches says whether a SYN to this address and port is counted.
  bool matches(const IpAddress& destination, std::uint16_t port) const;
};

// bpfFilter is the pcap filter expression for the selection: IPv4 TCP SYN without ACK to the ports and
// addresses, the same for IPv6 without extension headers, IPv6 packets whose first header is an extension
// header (decided in user space); on Ethernet each untagged or behind one or two VLAN tags (libpcap has no
// `vlan` for other link types).
std::string bpfFilter(const CaptureSelection& selection, LinkType link = LinkType::Ethernet);

}  // namespace sessiongate::tracker
