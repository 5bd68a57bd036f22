// Fixture table of frames for decodeFrame: link layers, VLAN tags, IPv4 options and fragments, IPv6
// extension headers, TCP flags, truncation at every length and garbage.
#include "controller/tracker/frame_decoder.h"

#include <catch2/catch.hpp>
#include <random>

#include "tests/tracker/frame_builder.h"
#include "tests/tracker/frame_cases.h"

using namespace sessiongate;
using namespace sessiongate::tracker;
using namespace sessiongate::tracker::testing;

TEST_CASE("decodeFrame classifies each fixture frame exactly", "[tracker][decoder]") {
  for (const FrameCase& c : frameCases()) {
    INFO(c.name);
    DecodedFrame d = decodeFrame(c.link, c.frame);
    CHECK(verdictName(d.verdict) == verdictName(c.verdict));
    if (c.verdict == FrameVerdict::TcpSyn || c.verdict == FrameVerdict::TcpOther) {
      CHECK(d.destination.str() == c.destination);
      CHECK(d.destinationPort == c.port);
    }
  }
}

TEST_CASE("decodeFrame reports every prefix of a SYN frame as truncated", "[tracker][decoder]") {
  const std::vector<std::pair<std::string, Bytes>> frames = {
      {"IPv4 behind QinQ with options",
       ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.5", 6, SynTo22, Bytes(8, 1)),
                {{0x88a8, 10}, {0x8100, 100}})},
      {"IPv6 behind hop-by-hop, fragment and AH",
       ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 0,
                             extension(44) + fragment6(51, 0, true) + authentication(6) + SynTo22))},
  };
  for (const auto& [name, frame] : frames) {
    INFO(name);
    REQUIRE(decodeFrame(LinkType::Ethernet, frame).verdict == FrameVerdict::TcpSyn);
    for (std::size_t length = 0; length < frame.size(); ++length) {
      INFO("cut at " << length);
      CHECK(decodeFrame(LinkType::Ethernet, cut(frame, length)).verdict == FrameVerdict::Truncated);
    }
  }
}

TEST_CASE("decodeFrame survives garbage on every link type", "[tracker][decoder]") {
  std::mt19937 random(20261203);  // fixed seed: the same garbage every run
  std::uniform_int_distribution<int> byte(0, 255), length(0, 200);
  std::size_t syns = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes frame(static_cast<std::size_t>(length(random)));
    for (auto& b : frame) b = static_cast<std::uint8_t>(byte(random));
    // Half of them look like IPv4/IPv6 over Ethernet so that the deeper decoders see garbage too.
    if (i % 2 == 0 && frame.size() > 14) put16(frame, 12, i % 4 == 0 ? 0x0800 : 0x86dd);
    if (i % 4 == 0 && frame.size() > 14) frame[14] = static_cast<std::uint8_t>(0x45 | (frame[14] & 0x0f));
    for (LinkType link :
         {LinkType::Ethernet, LinkType::LinuxCooked, LinkType::LinuxCooked2, LinkType::RawIp}) {
      DecodedFrame d = decodeFrame(link, frame);
      CHECK(static_cast<std::size_t>(d.verdict) < kFrameVerdictCount);
      syns += d.verdict == FrameVerdict::TcpSyn;
    }
  }
  CHECK(syns < 20000);  // garbage is rarely a SYN; the point is that nothing read out of bounds
}
