#pragma once
// InterfaceCapture captures one interface on a thread of its own: libpcap in immediate mode with a bounded
// kernel buffer and the classifier's selection as BPF filter (for the interface's link type), every frame to
// the FrameClassifier. When the interface goes down or away it closes the handle, says so in its status, and
// reopens every retry interval until the interface is back; pcap_stats counters are summed across reopens.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "controller/tracker/capture_status.h"
#include "controller/tracker/frame_classifier.h"
#include "core/clock.h"

namespace sessiongate::tracker {

// CaptureSettings are the libpcap parameters shared by every interface.
struct CaptureSettings {
  int snapLength = 256;       // bytes kept per frame: enough for VLAN, IPv6 extension headers and TCP
  int bufferBytes = 4 << 20;  // kernel ring buffer; what does not fit is counted as dropped
  std::chrono::milliseconds retry{2000};  // between attempts to reopen a lost interface
};

// InterfaceCapture runs between start and stop.
class InterfaceCapture {
 public:
  // clock paces the capture statistics and the waits between attempts to reopen the interface.
  InterfaceCapture(std::string interface, CaptureSettings settings, FrameClassifier& classifier,
                   const Clock& clock);
  ~InterfaceCapture();
  InterfaceCapture(const InterfaceCapture&) = delete;
  InterfaceCapture& operator=(const InterfaceCapture&) = delete;

  void start();
  void stop();
  CaptureStatus status() const;

 private:
  void run();
  // captureOnce opens the interface and captures until an error or stop; it returns the reason it ended.
  std::string captureOnce();
  void setError(const std::string& error);

  const std::string interface_;
  const CaptureSettings settings_;
  FrameClassifier& classifier_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  CaptureStatus status_;
  CaptureStatus base_;  // counters of the handles already closed
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace sessiongate::tracker
