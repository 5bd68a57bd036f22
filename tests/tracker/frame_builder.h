#pragma once
// Test frames built byte by byte (no checksums: the tracker never reads them), and a pcap file writer that
// goes through libpcap's own dump API so the files are exactly what tcpdump would write.
#include <pcap/pcap.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/ip_pool.h"

namespace sessiongate::tracker::testing {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::uint8_t Syn = 0x02;
inline constexpr std::uint8_t Ack = 0x10;
inline constexpr std::uint8_t Rst = 0x04;

inline Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline void put16(Bytes& b, std::size_t at, unsigned v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

inline IpAddress ip(const std::string& text) {
  return *IpAddress::parse(text);
}

inline Bytes tcp(unsigned source, unsigned destination, std::uint8_t flags, std::size_t payload = 0) {
  Bytes b(20 + payload, 0);
  put16(b, 0, source);
  put16(b, 2, destination);
  b[12] = 5 << 4;
  b[13] = flags;
  put16(b, 14, 64240);
  return b;
}

inline Bytes udp(unsigned source, unsigned destination) {
  Bytes b(8, 0);
  put16(b, 0, source);
  put16(b, 2, destination);
  put16(b, 4, 8);
  return b;
}

// ipv4 wraps payload; options are appended to the header (a multiple of 4 bytes).
inline Bytes ipv4(const std::string& source, const std::string& destination, std::uint8_t protocol,
                  const Bytes& payload, const Bytes& options = {}, unsigned fragmentOffset8 = 0,
                  bool moreFragments = false) {
  Bytes h(20, 0);
  h[0] = static_cast<std::uint8_t>(0x40 | ((20 + options.size()) / 4));
  put16(h, 2, static_cast<unsigned>(20 + options.size() + payload.size()));
  put16(h, 6, (moreFragments ? 0x2000 : 0) | fragmentOffset8);
  h[8] = 64;
  h[9] = protocol;
  auto s = ip(source), d = ip(destination);
  std::copy_n(s.bytes.begin() + 12, 4, h.begin() + 12);
  std::copy_n(d.bytes.begin() + 12, 4, h.begin() + 16);
  return h + options + payload;
}

// ipv6 wraps payload (extension headers included) after the fixed header.
inline Bytes ipv6(const std::string& source, const std::string& destination, std::uint8_t nextHeader,
                  const Bytes& payload) {
  Bytes h(40, 0);
  h[0] = 0x60;
  put16(h, 4, static_cast<unsigned>(payload.size()));
  h[6] = nextHeader;
  h[7] = 64;
  auto s = ip(source), d = ip(destination);
  std::copy_n(s.bytes.begin(), 16, h.begin() + 8);
  std::copy_n(d.bytes.begin(), 16, h.begin() + 24);
  return h + payload;
}

// extension is a hop-by-hop, routing or destination options header of (units + 1) * 8 bytes.
inline Bytes extension(std::uint8_t nextHeader, std::uint8_t units = 0) {
  Bytes b((units + 1) * 8, 0);
  b[0] = nextHeader;
  b[1] = units;
  b[2] = 1;  // a PadN option, so the options parse for anyone who looks
  return b;
}

inline Bytes fragment6(std::uint8_t nextHeader, unsigned offset8, bool more) {
  Bytes b(8, 0);
  b[0] = nextHeader;
  put16(b, 2, (offset8 << 3) | (more ? 1 : 0));
  b[7] = 0x2a;  // identification
  return b;
}

// authentication is an IPsec AH of (units + 2) * 4 bytes.
inline Bytes authentication(std::uint8_t nextHeader, std::uint8_t units = 4) {
  Bytes b((units + 2) * 4, 0);
  b[0] = nextHeader;
  b[1] = units;
  return b;
}

// ethernet frames payload behind the given VLAN tags (outer first: TPID, VLAN id).
inline Bytes ethernet(unsigned etherType, const Bytes& payload,
                      const std::vector<std::pair<unsigned, unsigned>>& tags = {}) {
  Bytes b = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01};
  for (auto [tpid, id] : tags) {
    Bytes tag(4, 0);
    put16(tag, 0, tpid);
    put16(tag, 2, id);
    b = b + tag;
  }
  Bytes type(2, 0);
  put16(type, 0, etherType);
  return b + type + payload;
}

inline Bytes cut(Bytes b, std::size_t length) {
  b.resize(length);
  return b;
}

// PcapRecord is one frame of a file and its capture time (seconds and microseconds since the epoch).
struct PcapRecord {
  Bytes frame;
  long seconds = 0;
  long micros = 0;
  std::size_t wireLength = 0;  // 0: the frame's size
};

// writePcap writes records with libpcap's dump API; snapLength is recorded in the file header.
inline void writePcap(const std::filesystem::path& path, int dataLinkType,
                      const std::vector<PcapRecord>& records, int snapLength = 65535) {
  pcap_t* dead = pcap_open_dead(dataLinkType, snapLength);
  pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
  for (const PcapRecord& r : records) {
    pcap_pkthdr header{};
    header.ts.tv_sec = r.seconds;
    header.ts.tv_usec = r.micros;
    header.caplen = static_cast<bpf_u_int32>(r.frame.size());
    header.len = static_cast<bpf_u_int32>(r.wireLength ? r.wireLength : r.frame.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, r.frame.data());
  }
  pcap_dump_close(dumper);
  pcap_close(dead);
}

// TempDir is a directory removed with its contents at the end of a test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char pattern[] = "/tmp/sessiongate-tracker-test-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace sessiongate::tracker::testing
