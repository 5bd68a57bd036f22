#pragma once
// The fixture frames of decodeFrame: each a link type, the captured bytes and what they must decode to.
#include <string>
#include <vector>

#include "controller/tracker/frame_decoder.h"
#include "tests/tracker/frame_builder.h"

namespace sessiongate::tracker::testing {

// FrameCase is one fixture frame and its expected verdict (destination and port for TcpSyn and TcpOther).
struct FrameCase {
  std::string name;
  LinkType link;
  Bytes frame;
  FrameVerdict verdict;
  std::string destination;  // for TcpSyn and TcpOther
  unsigned port = 0;
};

inline const Bytes SynTo22 = tcp(40000, 22, Syn);
inline const Bytes V4Syn = ipv4("192.0.2.1", "10.0.0.5", 6, SynTo22);
inline const Bytes V6Syn = ipv6("2001:db8::1", "fd00::5", 6, SynTo22);

// frameCases is the fixture table of decodeFrame (also the seed corpus of fuzz/frame_decoder_fuzzer).
inline std::vector<FrameCase> frameCases() {
  return {
      {"IPv4 SYN", LinkType::Ethernet, ethernet(0x0800, V4Syn), FrameVerdict::TcpSyn, "10.0.0.5", 22},
      {"IPv4 SYN with 12 bytes of options", LinkType::Ethernet,
       ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.5", 6, tcp(40000, 8080, Syn), Bytes(12, 1))),
       FrameVerdict::TcpSyn, "10.0.0.5", 8080},
      {"IPv4 SYN with Ethernet padding after the total length", LinkType::Ethernet,
       ethernet(0x0800, V4Syn) + Bytes(6, 0xff), FrameVerdict::TcpSyn, "10.0.0.5", 22},
      {"IPv4 SYN-ACK", LinkType::Ethernet,
       ethernet(0x0800, ipv4("10.0.0.5", "192.0.2.1", 6, tcp(22, 40000, Syn | Ack))), FrameVerdict::TcpOther,
       "192.0.2.1", 40000},
      {"IPv4 ACK", LinkType::Ethernet,
       ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.5", 6, tcp(40000, 22, Ack))), FrameVerdict::TcpOther,
       "10.0.0.5", 22},
      {"IPv4 RST", LinkType::Ethernet,
       ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.5", 6, tcp(40000, 22, Rst))), FrameVerdict::TcpOther,
       "10.0.0.5", 22},
      {"IPv4 UDP", LinkType::Ethernet, ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.5", 17, udp(5353, 53))),
       FrameVerdict::NotTcp, "", 0},
      {"IPv4 first fragment carries the TCP header", LinkType::Ethernet,
       ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.5", 6, tcp(40000, 22, Syn, 8), {}, 0, true)),
       FrameVerdict::TcpSyn, "10.0.0.5", 22},
      {"IPv4 later fragment", LinkType::Ethernet,
       ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.5", 6, Bytes(24, 0x02), {}, 185, false)),
       FrameVerdict::LaterFragment, "", 0},
      {"IPv4 IHL below 5", LinkType::Ethernet,
       ethernet(0x0800,
                [] {
                  Bytes b = V4Syn;
                  b[0] = 0x44;
                  return b;
                }()),
       FrameVerdict::Malformed, "", 0},
      {"IPv4 total length shorter than the header", LinkType::Ethernet,
       ethernet(0x0800,
                [] {
                  Bytes b = V4Syn;
                  put16(b, 2, 12);
                  return b;
                }()),
       FrameVerdict::Malformed, "", 0},
      {"IPv4 ethertype with an IPv6 packet", LinkType::Ethernet, ethernet(0x0800, V6Syn),
       FrameVerdict::Malformed, "", 0},
      {"TCP data offset below 5", LinkType::Ethernet,
       ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.5", 6,
                             [] {
                               Bytes t = SynTo22;
                               t[12] = 0x40;
                               return t;
                             }())),
       FrameVerdict::Malformed, "", 0},
      {"802.1Q tagged IPv4 SYN", LinkType::Ethernet, ethernet(0x0800, V4Syn, {{0x8100, 100}}),
       FrameVerdict::TcpSyn, "10.0.0.5", 22},
      {"802.1ad + 802.1Q (QinQ) IPv4 SYN", LinkType::Ethernet,
       ethernet(0x0800, V4Syn, {{0x88a8, 10}, {0x8100, 100}}), FrameVerdict::TcpSyn, "10.0.0.5", 22},
      {"five VLAN tags", LinkType::Ethernet,
       ethernet(0x0800, V4Syn, {{0x8100, 1}, {0x8100, 2}, {0x8100, 3}, {0x8100, 4}, {0x8100, 5}}),
       FrameVerdict::Malformed, "", 0},
      {"ARP", LinkType::Ethernet, ethernet(0x0806, Bytes(28, 0)), FrameVerdict::NotIp, "", 0},
      {"IPv6 SYN", LinkType::Ethernet, ethernet(0x86dd, V6Syn), FrameVerdict::TcpSyn, "fd00::5", 22},
      {"IPv6 SYN behind hop-by-hop and destination options", LinkType::Ethernet,
       ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 0, extension(60) + extension(6, 1) + SynTo22)),
       FrameVerdict::TcpSyn, "fd00::5", 22},
      {"IPv6 SYN behind a routing header", LinkType::Ethernet,
       ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 43, extension(6, 2) + SynTo22)), FrameVerdict::TcpSyn,
       "fd00::5", 22},
      {"IPv6 SYN behind an authentication header", LinkType::Ethernet,
       ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 51, authentication(6) + SynTo22)),
       FrameVerdict::TcpSyn, "fd00::5", 22},
      {"IPv6 first fragment", LinkType::Ethernet,
       ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 44, fragment6(6, 0, true) + SynTo22)),
       FrameVerdict::TcpSyn, "fd00::5", 22},
      {"IPv6 later fragment", LinkType::Ethernet,
       ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 44, fragment6(6, 181, false) + Bytes(16, 0x02))),
       FrameVerdict::LaterFragment, "", 0},
      {"IPv6 ESP", LinkType::Ethernet, ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 50, Bytes(32, 0x02))),
       FrameVerdict::NotTcp, "", 0},
      {"IPv6 no next header", LinkType::Ethernet, ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 59, {})),
       FrameVerdict::NotTcp, "", 0},
      {"IPv6 hop-by-hop then UDP", LinkType::Ethernet,
       ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 0, extension(17) + udp(1, 2))), FrameVerdict::NotTcp,
       "", 0},
      {"IPv6 seventeen extension headers", LinkType::Ethernet,
       ethernet(0x86dd,
                [] {
                  Bytes chain;
                  for (int i = 0; i < 16; ++i) chain = chain + extension(60);
                  chain = chain + extension(6) + SynTo22;
                  return ipv6("2001:db8::1", "fd00::5", 60, chain);
                }()),
       FrameVerdict::Malformed, "", 0},
      {"IPv6 extension header longer than the packet", LinkType::Ethernet,
       ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 60, extension(6, 200))), FrameVerdict::Truncated, "",
       0},
      {"VLAN tagged IPv6 SYN", LinkType::Ethernet, ethernet(0x86dd, V6Syn, {{0x8100, 7}}),
       FrameVerdict::TcpSyn, "fd00::5", 22},
      {"Linux cooked v1 IPv4 SYN", LinkType::LinuxCooked,
       [] {
         Bytes h(16, 0);
         put16(h, 14, 0x0800);
         return h + V4Syn;
       }(),
       FrameVerdict::TcpSyn, "10.0.0.5", 22},
      {"Linux cooked v2 IPv6 SYN", LinkType::LinuxCooked2,
       [] {
         Bytes h(20, 0);
         put16(h, 0, 0x86dd);
         return h + V6Syn;
       }(),
       FrameVerdict::TcpSyn, "fd00::5", 22},
      {"raw IPv4 SYN", LinkType::RawIp, V4Syn, FrameVerdict::TcpSyn, "10.0.0.5", 22},
      {"raw IPv6 SYN", LinkType::RawIp, V6Syn, FrameVerdict::TcpSyn, "fd00::5", 22},
      {"raw, neither IPv4 nor IPv6", LinkType::RawIp, Bytes{0x50, 0, 0, 0}, FrameVerdict::Malformed, "", 0},
      {"empty frame", LinkType::Ethernet, {}, FrameVerdict::Truncated, "", 0},
      {"IPv4 SYN cut by the snap length inside TCP", LinkType::Ethernet,
       cut(ethernet(0x0800, V4Syn), 14 + 20 + 13), FrameVerdict::Truncated, "", 0},
  };
}

}  // namespace sessiongate::tracker::testing
