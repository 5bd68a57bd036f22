#pragma once
// decodeFrame reads one captured frame down to its TCP flags: link layer (Ethernet with any number of
// 802.1Q/802.1ad tags up to four, Linux cooked v1/v2, raw IP), IPv4 (options, fragments) or IPv6 (extension
// headers, fragment header), then TCP. Pure code: no I/O, no allocation, never reads past the span.
#include <cstdint>
#include <span>
#include <string_view>

#include "core/ip_pool.h"

namespace sessiongate::tracker {

// LinkType is the link layer the capture delivers (from the pcap data link type).
enum class LinkType { Ethernet, LinuxCooked, LinuxCooked2, RawIp };

// FrameVerdict is what a frame turned out to be. Only TcpSyn is counted as a connection attempt.
enum class FrameVerdict {
  TcpSyn,         // TCP with SYN and without ACK: a connection attempt
  TcpOther,       // any other TCP segment (SYN-ACK, ACK, data, RST, ...)
  NotTcp,         // IP, but another protocol (UDP, ICMP, ESP, no next header, ...)
  NotIp,          // ARP, LLDP, anything that is not IPv4 or IPv6
  LaterFragment,  // a fragment after the first: it carries no TCP header
  Truncated,      // the frame ends before the headers do (snap length, or a short frame)
  Malformed,      // headers that contradict themselves (IPv4 IHL < 5, wrong IP version, TCP offset < 5)
};

// kFrameVerdictCount is the number of FrameVerdict values, for counter arrays.
inline constexpr std::size_t kFrameVerdictCount = 7;

// verdictName is the metric label of a verdict: "tcp_syn", "tcp_other", "not_tcp", "not_ip",
// "later_fragment", "truncated", "malformed".
std::string_view verdictName(FrameVerdict verdict);

// DecodedFrame is the verdict and, for TcpSyn and TcpOther, the addresses and ports.
struct DecodedFrame {
  FrameVerdict verdict = FrameVerdict::Malformed;
  IpAddress source;
  IpAddress destination;
  std::uint16_t sourcePort = 0;
  std::uint16_t destinationPort = 0;
  std::uint8_t tcpFlags = 0;
};

// decodeFrame classifies one frame as captured (the span is the captured bytes, maybe fewer than on the
// wire).
DecodedFrame decodeFrame(LinkType link, std::span<const std::uint8_t> frame);

}  // namespace sessiongate::tracker
