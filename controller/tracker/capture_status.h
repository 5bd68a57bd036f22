#pragma once
// CaptureStatus is what one interface's capture reports: whether it is capturing, the last error, how many
// times it was reopened, and libpcap's counters (pcap_stats) summed over every reopen.
#include <cstdint>
#include <string>

namespace sessiongate::tracker {

// CaptureStatus is a copy taken at one moment.
struct CaptureStatus {
  std::string interface;
  bool capturing = false;
  std::string lastError;        // empty while nothing went wrong
  std::uint64_t opens = 0;      // successful activations (1 + reopens after the interface came back)
  std::uint64_t received = 0;   // ps_recv: packets that passed the filter
  std::uint64_t dropped = 0;    // ps_drop: dropped for lack of buffer space
  std::uint64_t ifDropped = 0;  // ps_ifdrop: dropped by the interface or its driver
};

}  // namespace sessiongate::tracker
