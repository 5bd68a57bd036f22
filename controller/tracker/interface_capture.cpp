#include "controller/tracker/interface_capture.h"

#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

#include "controller/tracker/pcap_source.h"

namespace sessiongate::tracker {
namespace {

constexpr std::chrono::milliseconds kPollInterval{200};
constexpr std::chrono::seconds kStatsInterval{1};

struct Dispatch {
  FrameClassifier* classifier;
  LinkType link;
};

void onFrame(u_char* user, const pcap_pkthdr* header, const u_char* data) {
  auto* dispatch = reinterpret_cast<Dispatch*>(user);
  WallTime captured{std::chrono::duration_cast<WallTime::duration>(
      std::chrono::seconds(header->ts.tv_sec) + std::chrono::microseconds(header->ts.tv_usec))};
  dispatch->classifier->classify(dispatch->link, std::span<const std::uint8_t>(data, header->caplen),
                                 captured);
}

}  // namespace

InterfaceCapture::InterfaceCapture(std::string interface, CaptureSettings settings,
                                   FrameClassifier& classifier, const Clock& clock)
    : interface_(std::move(interface)), settings_(std::move(settings)), classifier_(classifier), clock_(clock) {
  status_.interface = interface_;
  base_.interface = interface_;
}

InterfaceCapture::~InterfaceCapture() {
  stop();
}

void InterfaceCapture::start() {
  thread_ = std::thread([this] { run(); });
}

void InterfaceCapture::stop() {
  {
    std::lock_guard<std::mutex> guard(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

CaptureStatus InterfaceCapture::status() const {
  std::lock_guard<std::mutex> guard(mu_);
  return status_;
}

void InterfaceCapture::setError(const std::string& error) {
  std::lock_guard<std::mutex> guard(mu_);
  status_.capturing = false;
  status_.lastError = error;
}

void InterfaceCapture::run() {
  std::string previous;
  while (!stopping_) {
    std::string reason = captureOnce();
    if (stopping_) break;
    if (reason != previous)
      spdlog::warn("capture on {} stopped: {}; retrying every {} ms", interface_, reason,
                   settings_.retry.count());
    previous = reason;
    setError(reason);
    const Clock::TimePoint retryAt = clock_.now() + settings_.retry;
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_ && clock_.now() < retryAt) clock_.waitUntil(wake_, lock, retryAt);
  }
  std::lock_guard<std::mutex> guard(mu_);
  status_.capturing = false;
}

std::string InterfaceCapture::captureOnce() {
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  pcap_t* raw = pcap_create(interface_.c_str(), errbuf);
  if (!raw) return std::string("pcap_create: ") + errbuf;
  std::unique_ptr<pcap_t, void (*)(pcap_t*)> handle(raw, pcap_close);
  pcap_set_snaplen(raw, settings_.snapLength);
  pcap_set_immediate_mode(raw, 1);
  pcap_set_buffer_size(raw, settings_.bufferBytes);
  pcap_set_promisc(raw, 0);
  int activated = pcap_activate(raw);
  if (activated < 0) {
    std::string detail = pcap_geterr(raw);
    return std::string(pcap_statustostr(activated)) + (detail.empty() ? "" : ": " + detail);
  }
  auto link = linkTypeOf(pcap_datalink(raw));
  if (!link) return "link type " + std::to_string(pcap_datalink(raw)) + " is not supported";
  bpf_program program{};
  const std::string filter = bpfFilter(classifier_.selection(), *link);
  if (pcap_compile(raw, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    return std::string("capture filter does not compile: ") + pcap_geterr(raw);
  int filtered = pcap_setfilter(raw, &program);
  pcap_freecode(&program);
  if (filtered != 0) return std::string("pcap_setfilter: ") + pcap_geterr(raw);
  if (pcap_setnonblock(raw, 1, errbuf) != 0) return std::string("pcap_setnonblock: ") + errbuf;
  const int fd = pcap_get_selectable_fd(raw);
  if (fd < 0) return "the capture has no selectable descriptor";

  {
    std::lock_guard<std::mutex> guard(mu_);
    status_.capturing = true;
    status_.lastError.clear();
    ++base_.opens;
    status_.opens = base_.opens;
  }
  spdlog::info("capturing on {} (link type {})", interface_, pcap_datalink_val_to_name(pcap_datalink(raw)));
  Dispatch dispatch{&classifier_, *link};
  pcap_stat last{};
  auto publishStats = [&] {
    pcap_stat now{};
    if (pcap_stats(raw, &now) != 0) return;
    last = now;
    std::lock_guard<std::mutex> guard(mu_);
    status_.received = base_.received + now.ps_recv;
    status_.dropped = base_.dropped + now.ps_drop;
    status_.ifDropped = base_.ifDropped + now.ps_ifdrop;
  };
  Clock::TimePoint nextStats = clock_.now();
  const unsigned index = if_nametoindex(interface_.c_str());
  std::string reason;
  while (!stopping_) {
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(kPollInterval.count()));
    if (ready < 0 && errno != EINTR) {
      reason = std::string("poll: ") + std::strerror(errno);
      break;
    }
    int n = pcap_dispatch(raw, -1, onFrame, reinterpret_cast<u_char*>(&dispatch));
    if (n == PCAP_ERROR) {
      reason = pcap_geterr(raw);
      break;
    }
    if (n == 0 && ready > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL))) {
      reason = "the interface went away";
      break;
    }
    if (clock_.now() >= nextStats) {
      publishStats();
      nextStats = clock_.now() + kStatsInterval;
      // A deleted interface does not always wake the socket; a new one of the same name has another index.
      if (if_nametoindex(interface_.c_str()) != index) {
        reason = "the interface went away";
        break;
      }
    }
  }
  publishStats();
  std::lock_guard<std::mutex> guard(mu_);
  base_.received += last.ps_recv;
  base_.dropped += last.ps_drop;
  base_.ifDropped += last.ps_ifdrop;
  status_.received = base_.received;
  status_.dropped = base_.dropped;
  status_.ifDropped = base_.ifDropped;
  status_.capturing = false;
  return reason.empty() ? "stopped" : reason;
}

}  // namespace sessiongate::tracker
