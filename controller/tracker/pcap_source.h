#pragma once
// The libpcap edge of the tracker: the link type of a pcap handle, compiling the filter, and replaying a
// capture file through a FrameClassifier (tests and the benchmark use the replay; live capture is in
// interface_capture.h).
#include <optional>
#include <string>

#include "controller/tracker/frame_classifier.h"
#include "core/result.h"

namespace sessiongate::tracker {

// linkTypeOf maps a pcap data link type (DLT_*) to the decoder's; nullopt for links the tracker cannot read.
std::optional<LinkType> linkTypeOf(int dataLinkType);

// checkFilter compiles the expression for an Ethernet link without capturing; the error is libpcap's.
Result<bool> checkFilter(const std::string& expression);

// ReplayResult counts what a replay read.
struct ReplayResult {
  std::uint64_t frames = 0;    // records read from the file
  std::uint64_t filtered = 0;  // of those, passed the filter and classified
  std::string error;           // a read error after some records (a cut file), empty when the file was whole
};

// ReplayFilter says whether a replay applies the selection's BPF filter first, as the kernel would live.
enum class ReplayFilter { Bpf, None };

// replayFile reads every record of a pcap file, applies the classifier's BPF filter (libpcap's, for the
// file's link type) unless told not to, and classifies what passes at its recorded timestamp.
Result<ReplayResult> replayFile(const std::string& path, ReplayFilter filter, FrameClassifier& classifier);

}  // namespace sessiongate::tracker
