#pragma once
// FrameClassifier is the path of every captured frame, shared by live capture and file replay: decode,
// check against the selection, count in the ActivityTable, and count the verdicts. Pure logic (the caller
// brings the bytes and the capture time); thread-safe.
#include <array>
#include <atomic>
#include <span>

#include "controller/tracker/activity_table.h"
#include "controller/tracker/capture_selection.h"
#include "controller/tracker/frame_decoder.h"

namespace sessiongate::tracker {

// FrameCounts are the classifier's counters at one moment.
struct FrameCounts {
  std::array<std::uint64_t, kFrameVerdictCount> verdicts{};  // indexed by FrameVerdict
  std::uint64_t outsideSelection = 0;                        // SYNs that passed BPF but not the exact check
  std::uint64_t counted = 0;                                 // SYNs recorded in the table
};

// FrameClassifier feeds one ActivityTable.
class FrameClassifier {
 public:
  FrameClassifier(CaptureSelection selection, ActivityTable& table)
      : selection_(std::move(selection)), table_(table) {}

  // classify handles one frame captured at `captured`; it returns the decoder's verdict.
  FrameVerdict classify(LinkType link, std::span<const std::uint8_t> frame, WallTime captured);
  FrameCounts counts() const;
  const CaptureSelection& selection() const { return selection_; }

 private:
  const CaptureSelection selection_;
  ActivityTable& table_;
  std::array<std::atomic<std::uint64_t>, kFrameVerdictCount> verdicts_{};
  std::atomic<std::uint64_t> outsideSelection_{0};
  std::atomic<std::uint64_t> counted_{0};
};

}  // namespace sessiongate::tracker
