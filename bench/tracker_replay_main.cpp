// bench-tracker-replay: frames per second the tracker classifies on one core, from a synthetic capture
// (SYNs to selected and unselected destinations, ACK traffic, VLAN-tagged and IPv6 frames with extension
// headers). Prints two figures: the classifier alone (decode, check, count) and a replay of the same frames
// from a pcap file through libpcap's BPF filter. Asserts nothing.
//   bench-tracker-replay [FRAMES]          (default 2,000,000)
#include <pcap/pcap.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "controller/tracker/pcap_source.h"
#include "tests/tracker/frame_builder.h"

using namespace sessiongate;
using namespace sessiongate::tracker;
using namespace sessiongate::tracker::testing;

int main(int argc, char** argv) {
  const std::size_t frames = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;
  std::vector<Bytes> mix;
  for (unsigned i = 0; i < 64; ++i) {
    const std::string pod = "10.244." + std::to_string(i % 4) + "." + std::to_string(i + 1);
    mix.push_back(ethernet(0x0800, ipv4("192.0.2.1", pod, 6, tcp(40000 + i, 22, Syn))));
    mix.push_back(ethernet(0x0800, ipv4("192.0.2.1", pod, 6, tcp(40000 + i, 22, Ack, 200))));
    mix.push_back(ethernet(0x0800, ipv4("192.0.2.1", pod, 6, tcp(40000 + i, 22, Ack, 1200))));
    mix.push_back(ethernet(0x0800, ipv4("192.0.2.1", pod, 6, tcp(40000 + i, 8443, Syn)), {{0x8100, 10}}));
    mix.push_back(ethernet(0x86dd, ipv6("2001:db8::1", "fd00:10::" + std::to_string(i + 1), 0,
                                        extension(6) + tcp(40000 + i, 22, Syn))));
  }
  auto selection = *CaptureSelection::parse({"22", "8443"}, {"10.244.0.0/16", "fd00:10::/64"});
  WallTime start{std::chrono::seconds(1796317200)};

  {
    ActivityTable table(65536);
    FrameClassifier classifier(selection, table);
    auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < frames; ++i)
      classifier.classify(LinkType::Ethernet, mix[i % mix.size()], start + std::chrono::microseconds(i));
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("classifier alone          %10.0f frames/s  (%zu frames, %zu destinations)\n",
                frames / seconds, frames, table.entries().size());
  }
  {
    const std::size_t fileFrames = std::min<std::size_t>(frames, 1000000);
    char pattern[] = "/tmp/bench-tracker-XXXXXX";
    std::filesystem::path dir = mkdtemp(pattern);
    std::vector<PcapRecord> records;
    records.reserve(fileFrames);
    for (std::size_t i = 0; i < fileFrames; ++i)
      records.push_back(
          {mix[i % mix.size()], 1796317200 + static_cast<long>(i / 1000000), static_cast<long>(i % 1000000)});
    writePcap(dir / "replay.pcap", DLT_EN10MB, records);
    ActivityTable table(65536);
    FrameClassifier classifier(selection, table);
    auto t0 = std::chrono::steady_clock::now();
    auto replayed = replayFile(dir / "replay.pcap", ReplayFilter::Bpf, classifier);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::filesystem::remove_all(dir);
    if (!replayed) {
      std::fprintf(stderr, "replay failed: %s\n", replayed.error().c_str());
      return 1;
    }
    std::printf("pcap file through BPF     %10.0f frames/s  (%llu frames, %llu passed the filter)\n",
                replayed->frames / seconds, static_cast<unsigned long long>(replayed->frames),
                static_cast<unsigned long long>(replayed->filtered));
  }
  return 0;
}
