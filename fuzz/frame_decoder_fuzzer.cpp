// Fuzzes the tracker's frame decoding: the first byte picks the link type, the rest is the captured frame
// (libFuzzer hands over exactly size bytes, so AddressSanitizer sees any read past the capture).
// Properties: the verdict is one of the enum; a SYN has SYN without ACK; only TCP verdicts carry ports.
#include <cstddef>
#include <cstdint>
#include <span>

#include "controller/tracker/frame_decoder.h"
#include "fuzz/fuzz_check.h"

using namespace sessiongate::tracker;
using sessiongate::fuzz::fuzzCheck;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  constexpr LinkType links[] = {LinkType::Ethernet, LinkType::LinuxCooked, LinkType::LinuxCooked2,
                                LinkType::RawIp};
  const LinkType link = links[data[0] % 4];
  DecodedFrame d = decodeFrame(link, std::span<const std::uint8_t>(data + 1, size - 1));
  fuzzCheck(static_cast<std::size_t>(d.verdict) < kFrameVerdictCount, "the verdict is known");
  const bool tcp = d.verdict == FrameVerdict::TcpSyn || d.verdict == FrameVerdict::TcpOther;
  if (d.verdict == FrameVerdict::TcpSyn) {
    fuzzCheck((d.tcpFlags & 0x02) != 0 && (d.tcpFlags & 0x10) == 0, "a SYN has SYN and not ACK");
  }
  if (!tcp) fuzzCheck(d.sourcePort == 0 && d.destinationPort == 0, "only TCP verdicts carry ports");
  if (tcp) {
    fuzzCheck(d.source.family == d.destination.family, "both addresses have one family");
  }
  return 0;
}
