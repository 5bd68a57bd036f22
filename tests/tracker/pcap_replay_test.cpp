// Capture files written by the test with libpcap's dump API, replayed through the BPF filter and the
// classifier exactly as a live capture would be: exact counts and last-seen times per destination.
#include <catch2/catch.hpp>
#include <fstream>

#include "controller/tracker/activity_report.h"
#include "controller/tracker/pcap_source.h"
#include "tests/tracker/frame_builder.h"

using namespace sessiongate;
using namespace sessiongate::tracker;
using namespace sessiongate::tracker::testing;

namespace {

const Bytes SynTo22 = tcp(40000, 22, Syn);

std::vector<PcapRecord> mixedCapture() {
  auto v4 = [](const std::string& to, unsigned port, std::uint8_t flags = Syn) {
    return ethernet(0x0800, ipv4("192.0.2.1", to, 6, tcp(40000, port, flags)));
  };
  Bytes truncated = v4("10.0.0.5", 22);
  return {
      {v4("10.0.0.5", 22), 1000, 1},
      {v4("10.0.0.5", 22), 1000, 500000},
      {ethernet(0x0800, ipv4("10.0.0.5", "192.0.2.1", 6, tcp(22, 40000, Syn | Ack))), 1001, 0},
      {v4("10.0.0.5", 80), 1002, 0},
      {v4("11.0.0.1", 22), 1003, 0},
      {ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.6", 6, tcp(40001, 31000, Syn)), {{0x8100, 100}}), 1004, 0},
      {ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.6", 6, tcp(40002, 31000, Syn)),
                {{0x88a8, 10}, {0x8100, 100}}),
       1005, 0},
      {ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 6, SynTo22)), 1006, 0},
      {ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 0, extension(60) + extension(6, 1) + SynTo22)), 1007,
       0},
      {ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 0, extension(6) + tcp(40000, 80, Syn))), 1008, 0},
      {ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 0, extension(17) + udp(1000, 22))), 1009, 0},
      {ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.5", 6, Bytes(24, 0x02), {}, 185, false)), 1010, 0},
      {ethernet(0x0800, ipv4("192.0.2.1", "10.0.0.5", 6, tcp(40000, 22, Syn, 16), {}, 0, true)), 1011, 0},
      {cut(truncated, 14 + 20 + 10), 1012, 0, truncated.size()},
      {Bytes{0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02}, 1013, 0},
      {ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 44, fragment6(6, 181, false) + Bytes(16, 0x02))), 1014,
       0},
      {ethernet(0x86dd, ipv6("2001:db8::1", "fd00::5", 44, fragment6(6, 0, true) + SynTo22)), 1015, 250000},
  };
}

WallTime at(long seconds, long micros) {
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::seconds(seconds) +
                                                                 std::chrono::microseconds(micros)));
}

CaptureSelection sshAndNodePorts() {
  return *CaptureSelection::parse({"22", "30000-32767"}, {"10.0.0.0/8", "fd00::/8"});
}

const std::vector<ActivityEntry> ExpectedEntries = {
    {ip("10.0.0.5"), 22, 3, at(1011, 0)},
    {ip("10.0.0.6"), 31000, 2, at(1005, 0)},
    {ip("fd00::5"), 22, 3, at(1015, 250000)},
};

}  // namespace

TEST_CASE("replaying a mixed capture through the BPF filter counts exactly the selected SYNs",
          "[tracker][replay]") {
  TempDir dir;
  writePcap(dir.path / "mixed.pcap", DLT_EN10MB, mixedCapture());
  ActivityTable table(100);
  FrameClassifier classifier(sshAndNodePorts(), table);
  auto replayed = replayFile(dir.path / "mixed.pcap", ReplayFilter::Bpf, classifier);
  REQUIRE(replayed);
  CHECK(replayed->frames == 17);
  CHECK(replayed->error.empty());
  // Passed BPF: 9 SYNs (one to port 80 behind an IPv6 extension header), the IPv6 UDP and the IPv6 later
  // fragment (both behind extension headers, which BPF cannot follow).
  CHECK(replayed->filtered == 11);
  CHECK(table.entries() == ExpectedEntries);
  FrameCounts counts = classifier.counts();
  CHECK(counts.verdicts[static_cast<std::size_t>(FrameVerdict::TcpSyn)] == 9);
  CHECK(counts.verdicts[static_cast<std::size_t>(FrameVerdict::NotTcp)] == 1);
  CHECK(counts.verdicts[static_cast<std::size_t>(FrameVerdict::LaterFragment)] == 1);
  CHECK(counts.outsideSelection == 1);
  CHECK(counts.counted == 8);
}

TEST_CASE("without the BPF filter the user-space check counts the same destinations", "[tracker][replay]") {
  TempDir dir;
  writePcap(dir.path / "mixed.pcap", DLT_EN10MB, mixedCapture());
  ActivityTable table(100);
  FrameClassifier classifier(sshAndNodePorts(), table);
  auto replayed = replayFile(dir.path / "mixed.pcap", ReplayFilter::None, classifier);
  REQUIRE(replayed);
  CHECK(replayed->filtered == 17);
  CHECK(table.entries() == ExpectedEntries);
  FrameCounts counts = classifier.counts();
  CHECK(counts.verdicts[static_cast<std::size_t>(FrameVerdict::TcpSyn)] == 11);
  CHECK(counts.verdicts[static_cast<std::size_t>(FrameVerdict::TcpOther)] == 1);
  CHECK(counts.verdicts[static_cast<std::size_t>(FrameVerdict::NotTcp)] == 1);
  CHECK(counts.verdicts[static_cast<std::size_t>(FrameVerdict::LaterFragment)] == 2);
  CHECK(counts.verdicts[static_cast<std::size_t>(FrameVerdict::Truncated)] == 2);  // the cut SYN, the 7 bytes
  CHECK(counts.outsideSelection == 3);                                             // port 80 twice, 11.0.0.1
}

TEST_CASE("since= keeps only destinations seen at or after the time", "[tracker][replay]") {
  TempDir dir;
  writePcap(dir.path / "mixed.pcap", DLT_EN10MB, mixedCapture());
  ActivityTable table(100);
  FrameClassifier classifier(sshAndNodePorts(), table);
  REQUIRE(replayFile(dir.path / "mixed.pcap", ReplayFilter::Bpf, classifier));
  CHECK(table.entries(at(1011, 0)) == std::vector<ActivityEntry>{ExpectedEntries[0], ExpectedEntries[2]});
  CHECK(table.entries(at(1011, 1)) == std::vector<ActivityEntry>{ExpectedEntries[2]});
  CHECK(table.entries(at(1016, 0)).empty());
}

TEST_CASE("a Linux cooked capture (the \"any\" interface) is read the same way", "[tracker][replay]") {
  TempDir dir;
  Bytes cooked(16, 0);
  put16(cooked, 14, 0x0800);
  writePcap(dir.path / "any.pcap", DLT_LINUX_SLL,
            {{cooked + ipv4("192.0.2.1", "10.0.0.5", 6, SynTo22), 2000, 0},
             {cooked + ipv4("192.0.2.1", "10.0.0.5", 6, tcp(1, 22, Ack)), 2001, 0}});
  ActivityTable table(100);
  FrameClassifier classifier(sshAndNodePorts(), table);
  auto replayed = replayFile(dir.path / "any.pcap", ReplayFilter::Bpf, classifier);
  INFO((replayed ? "" : replayed.error()));
  REQUIRE(replayed);
  CHECK(replayed->filtered == 1);
  CHECK(table.entries() == std::vector<ActivityEntry>{{ip("10.0.0.5"), 22, 1, at(2000, 0)}});
}

TEST_CASE("a capture file cut in the middle of a record keeps what came before", "[tracker][replay]") {
  TempDir dir;
  writePcap(dir.path / "mixed.pcap", DLT_EN10MB, mixedCapture());
  auto size = std::filesystem::file_size(dir.path / "mixed.pcap");
  std::filesystem::resize_file(dir.path / "mixed.pcap", size - 30);  // inside the last record's data
  ActivityTable table(100);
  FrameClassifier classifier(sshAndNodePorts(), table);
  auto replayed = replayFile(dir.path / "mixed.pcap", ReplayFilter::Bpf, classifier);
  REQUIRE(replayed);
  CHECK(replayed->frames == 16);
  CHECK_FALSE(replayed->error.empty());
  CHECK(table.entries() == std::vector<ActivityEntry>{
                               ExpectedEntries[0], ExpectedEntries[1], {ip("fd00::5"), 22, 2, at(1007, 0)}});
}

TEST_CASE("a file that is not a capture is an error, never a crash", "[tracker][replay]") {
  TempDir dir;
  std::ofstream(dir.path / "garbage.pcap") << "this is not a pcap file, just some text long enough";
  ActivityTable table(100);
  FrameClassifier classifier(sshAndNodePorts(), table);
  auto replayed = replayFile(dir.path / "garbage.pcap", ReplayFilter::None, classifier);
  REQUIRE_FALSE(replayed);
  CHECK(replayed.error().rfind("cannot read " + (dir.path / "garbage.pcap").string() + ": ", 0) == 0);
  CHECK_FALSE(replayFile(dir.path / "absent.pcap", ReplayFilter::None, classifier));
}

TEST_CASE("a full table refuses new destinations and keeps counting known ones", "[tracker][replay]") {
  ActivityTable table(2);
  CHECK(table.record(ip("10.0.0.1"), 22, at(1, 0)));
  CHECK(table.record(ip("10.0.0.2"), 22, at(2, 0)));
  CHECK_FALSE(table.record(ip("10.0.0.3"), 22, at(3, 0)));
  CHECK(table.record(ip("10.0.0.1"), 22, at(4, 0)));
  // An older timestamp (another interface's capture arriving late) never moves lastSeen back.
  CHECK(table.record(ip("10.0.0.1"), 22, at(3, 0)));
  CHECK(table.refused() == 1);
  CHECK(table.entries() ==
        std::vector<ActivityEntry>{{ip("10.0.0.1"), 22, 3, at(4, 0)}, {ip("10.0.0.2"), 22, 1, at(2, 0)}});
}
