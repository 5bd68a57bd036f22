#include "controller/tracker/pcap_source.h"

#include <pcap/pcap.h>

#include <memory>

namespace sessiongate::tracker {
namespace {

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

}  // namespace

std::optional<LinkType> linkTypeOf(int dataLinkType) {
  switch (dataLinkType) {
    case DLT_EN10MB:
      return LinkType::Ethernet;
    case DLT_LINUX_SLL:
      return LinkType::LinuxCooked;
    case DLT_LINUX_SLL2:
      return LinkType::LinuxCooked2;
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
      return LinkType::RawIp;
    default:
      return std::nullopt;
  }
}

Result<bool> checkFilter(const std::string& expression) {
  PcapHandle dead(pcap_open_dead(DLT_EN10MB, 65535));
  if (!dead) return Error{"pcap_open_dead failed"};
  bpf_program program{};
  if (pcap_compile(dead.get(), &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    return Error{"capture filter does not compile: " + std::string(pcap_geterr(dead.get()))};
  pcap_freecode(&program);
  return true;
}

Result<ReplayResult> replayFile(const std::string& path, ReplayFilter filter, FrameClassifier& classifier) {
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  PcapHandle handle(pcap_open_offline(path.c_str(), errbuf));
  if (!handle) return Error{"cannot read " + path + ": " + errbuf};
  auto link = linkTypeOf(pcap_datalink(handle.get()));
  if (!link)
    return Error{path + ": link type " + std::to_string(pcap_datalink(handle.get())) + " is not supported"};
  bpf_program program{};
  const bool filtering = filter == ReplayFilter::Bpf;
  const std::string expression = bpfFilter(classifier.selection(), *link);
  if (filtering && pcap_compile(handle.get(), &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    return Error{"capture filter does not compile: " + std::string(pcap_geterr(handle.get()))};
  ReplayResult result;
  for (;;) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int got = pcap_next_ex(handle.get(), &header, &data);
    if (got == PCAP_ERROR_BREAK) break;  // end of file
    if (got != 1) {
      result.error = pcap_geterr(handle.get());
      break;
    }
    ++result.frames;
    if (filtering && pcap_offline_filter(&program, header, data) == 0) continue;
    ++result.filtered;
    WallTime captured{std::chrono::duration_cast<WallTime::duration>(
        std::chrono::seconds(header->ts.tv_sec) + std::chrono::microseconds(header->ts.tv_usec))};
    classifier.classify(*link, std::span<const std::uint8_t>(data, header->caplen), captured);
  }
  if (filtering) pcap_freecode(&program);
  return result;
}

}  // namespace sessiongate::tracker
