#include "controller/tracker/frame_decoder.h"

#include <algorithm>

namespace sessiongate::tracker {
namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeIpv6 = 0x86DD;
constexpr std::uint16_t kEtherTypeVlan = 0x8100;
constexpr std::uint16_t kEtherTypeQinQ = 0x88A8;
constexpr std::uint16_t kEtherTypeQinQLegacy = 0x9100;
constexpr int kMaxVlanTags = 4;
constexpr int kMaxIpv6ExtensionHeaders = 16;
constexpr std::uint8_t kProtocolTcp = 6;
constexpr std::uint8_t kTcpSynFlag = 0x02;
constexpr std::uint8_t kTcpAckFlag = 0x10;

using Bytes = std::span<const std::uint8_t>;

std::uint16_t read16(Bytes b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

DecodedFrame verdictOnly(FrameVerdict verdict) {
  DecodedFrame d;
  d.verdict = verdict;
  return d;
}

IpAddress ipv4At(Bytes b, std::size_t at) {
  IpAddress a;
  a.family = IpAddress::Family::V4;
  std::copy_n(b.begin() + static_cast<std::ptrdiff_t>(at), 4, a.bytes.begin() + 12);
  return a;
}

IpAddress ipv6At(Bytes b, std::size_t at) {
  IpAddress a;
  a.family = IpAddress::Family::V6;
  std::copy_n(b.begin() + static_cast<std::ptrdiff_t>(at), 16, a.bytes.begin());
  return a;
}

// decodeTcp reads the TCP header at the start of segment; the addresses are already in d.
DecodedFrame decodeTcp(Bytes segment, DecodedFrame d) {
  if (segment.size() < 20) return verdictOnly(FrameVerdict::Truncated);
  if ((segment[12] >> 4) < 5) return verdictOnly(FrameVerdict::Malformed);
  d.sourcePort = read16(segment, 0);
  d.destinationPort = read16(segment, 2);
  d.tcpFlags = segment[13];
  const bool syn = (d.tcpFlags & kTcpSynFlag) != 0;
  const bool ack = (d.tcpFlags & kTcpAckFlag) != 0;
  d.verdict = syn && !ack ? FrameVerdict::TcpSyn : FrameVerdict::TcpOther;
  return d;
}

DecodedFrame decodeIpv4(Bytes packet) {
  if (packet.size() < 20) return verdictOnly(FrameVerdict::Truncated);
  if ((packet[0] >> 4) != 4) return verdictOnly(FrameVerdict::Malformed);
  const std::size_t headerLength = static_cast<std::size_t>(packet[0] & 0x0F) * 4;
  const std::size_t totalLength = read16(packet, 2);
  if (headerLength < 20 || totalLength < headerLength) return verdictOnly(FrameVerdict::Malformed);
  if (packet.size() < headerLength) return verdictOnly(FrameVerdict::Truncated);
  if ((read16(packet, 6) & 0x1FFF) != 0) return verdictOnly(FrameVerdict::LaterFragment);
  if (packet[9] != kProtocolTcp) return verdictOnly(FrameVerdict::NotTcp);
  DecodedFrame d;
  d.source = ipv4At(packet, 12);
  d.destination = ipv4At(packet, 16);
  // Link-layer padding past the IP total length is not TCP; a capture cut by the snap length is shorter.
  const std::size_t end = std::min(packet.size(), totalLength);
  return decodeTcp(packet.subspan(headerLength, end - headerLength), d);
}

DecodedFrame decodeIpv6(Bytes packet) {
  if (packet.size() < 40) return verdictOnly(FrameVerdict::Truncated);
  if ((packet[0] >> 4) != 6) return verdictOnly(FrameVerdict::Malformed);
  std::uint8_t next = packet[6];
  std::size_t at = 40;
  const std::size_t end = std::min(packet.size(), 40 + static_cast<std::size_t>(read16(packet, 4)));
  for (int seen = 0;; ++seen) {
    if (next == kProtocolTcp) break;
    if (seen == kMaxIpv6ExtensionHeaders) return verdictOnly(FrameVerdict::Malformed);
    std::size_t length = 0;
    switch (next) {
      case 0:    // hop-by-hop options
      case 43:   // routing
      case 60:   // destination options
      case 135:  // mobility
      case 139:  // host identity protocol
      case 140:  // shim6
        if (end < at + 2) return verdictOnly(FrameVerdict::Truncated);
        length = (static_cast<std::size_t>(packet[at + 1]) + 1) * 8;
        break;
      case 44:  // fragment
        if (end < at + 8) return verdictOnly(FrameVerdict::Truncated);
        if ((read16(packet, at + 2) >> 3) != 0) return verdictOnly(FrameVerdict::LaterFragment);
        length = 8;
        break;
      case 51:  // authentication header: length in 4-octet units, minus 2
        if (end < at + 2) return verdictOnly(FrameVerdict::Truncated);
        length = (static_cast<std::size_t>(packet[at + 1]) + 2) * 4;
        break;
      default:  // UDP, ICMPv6, ESP (encrypted: nothing to read), no next header (59), ...
        return verdictOnly(FrameVerdict::NotTcp);
    }
    if (end < at + length) return verdictOnly(FrameVerdict::Truncated);
    next = packet[at];
    at += length;
  }
  DecodedFrame d;
  d.source = ipv6At(packet, 8);
  d.destination = ipv6At(packet, 24);
  return decodeTcp(packet.subspan(at, end - at), d);
}

DecodedFrame decodeEtherPayload(std::uint16_t etherType, Bytes frame, std::size_t at) {
  for (int tags = 0;
       etherType == kEtherTypeVlan || etherType == kEtherTypeQinQ || etherType == kEtherTypeQinQLegacy;
       ++tags) {
    if (tags == kMaxVlanTags) return verdictOnly(FrameVerdict::Malformed);
    if (frame.size() < at + 4) return verdictOnly(FrameVerdict::Truncated);
    etherType = read16(frame, at + 2);
    at += 4;
  }
  if (etherType == kEtherTypeIpv4) return decodeIpv4(frame.subspan(at));
  if (etherType == kEtherTypeIpv6) return decodeIpv6(frame.subspan(at));
  return verdictOnly(FrameVerdict::NotIp);
}

}  // namespace

std::string_view verdictName(FrameVerdict verdict) {
  switch (verdict) {
    case FrameVerdict::TcpSyn:
      return "tcp_syn";
    case FrameVerdict::TcpOther:
      return "tcp_other";
    case FrameVerdict::NotTcp:
      return "not_tcp";
    case FrameVerdict::NotIp:
      return "not_ip";
    case FrameVerdict::LaterFragment:
      return "later_fragment";
    case FrameVerdict::Truncated:
      return "truncated";
    case FrameVerdict::Malformed:
      return "malformed";
  }
  return "malformed";
}

DecodedFrame decodeFrame(LinkType link, Bytes frame) {
  switch (link) {
    case LinkType::Ethernet:
      if (frame.size() < 14) return verdictOnly(FrameVerdict::Truncated);
      return decodeEtherPayload(read16(frame, 12), frame, 14);
    case LinkType::LinuxCooked:
      if (frame.size() < 16) return verdictOnly(FrameVerdict::Truncated);
      return decodeEtherPayload(read16(frame, 14), frame, 16);
    case LinkType::LinuxCooked2:
      if (frame.size() < 20) return verdictOnly(FrameVerdict::Truncated);
      return decodeEtherPayload(read16(frame, 0), frame, 20);
    case LinkType::RawIp:
      if (frame.empty()) return verdictOnly(FrameVerdict::Truncated);
      if ((frame[0] >> 4) == 4) return decodeIpv4(frame);
      if ((frame[0] >> 4) == 6) return decodeIpv6(frame);
      return verdictOnly(FrameVerdict::Malformed);
  }
  return verdictOnly(FrameVerdict::Malformed);
}

}  // namespace sessiongate::tracker
