#include "controller/tracker/frame_classifier.h"

namespace sessiongate::tracker {

FrameVerdict FrameClassifier::classify(LinkType link, std::span<const std::uint8_t> frame,
                                       WallTime captured) {
  DecodedFrame decoded = decodeFrame(link, frame);
  verdicts_[static_cast<std::size_t>(decoded.verdict)].fetch_add(1, std::memory_order_relaxed);
  if (decoded.verdict != FrameVerdict::TcpSyn) return decoded.verdict;
  if (!selection_.matches(decoded.destination, decoded.destinationPort)) {
    outsideSelection_.fetch_add(1, std::memory_order_relaxed);
    return decoded.verdict;
  }
  if (table_.record(decoded.destination, decoded.destinationPort, captured))
    counted_.fetch_add(1, std::memory_order_relaxed);
  return decoded.verdict;
}

FrameCounts FrameClassifier::counts() const {
  FrameCounts c;
  for (std::size_t i = 0; i < kFrameVerdictCount; ++i) c.verdicts[i] = verdicts_[i].load();
  c.outsideSelection = outsideSelection_.load();
  c.counted = counted_.load();
  return c;
}

}  // namespace sessiongate::tracker
