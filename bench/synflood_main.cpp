// bench-synflood: sends TCP SYN frames (Ethernet, IPv4, TCP with correct checksums) out of one interface
// through an AF_PACKET socket at a fixed rate, for the tracker's capture benchmark (bench/tracker_flood.sh
// runs it inside a network namespace it created, on the far end of a veth pair). Frames carry a destination
// MAC address that no interface has, so the receiving kernel hands them to packet taps (the tracker) and
// drops them before IP: nothing answers, nothing is forwarded. Pacing: a batch every millisecond to an
// absolute deadline (sendmmsg), so a late batch does not lower the average rate. Prints what it sent.
//   bench-synflood --interface IF --source-ip A --destination-ip B --destination-mac MAC
//                  [--ports 2222-2231] [--rate 100000] [--duration 5s]
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "core/command_flags.h"
#include "core/duration.h"

namespace {

using namespace sessiongate;

constexpr std::size_t kFrameSize = 14 + 20 + 20;  // Ethernet, IPv4 without options, TCP without options

const CommandSpec spec{
    "bench-synflood --interface IF --source-ip A --destination-ip B --destination-mac MAC [flags]",
    "Sends TCP SYN frames out of IF at a fixed rate and prints how many it sent and how fast.",
    {{"interface", "IF", "interface to send on", true, ""},
     {"source-ip", "A", "IPv4 source address", true, ""},
     {"destination-ip", "B", "IPv4 destination address", true, ""},
     {"destination-mac", "MAC", "destination MAC address (aa:bb:cc:dd:ee:ff)", true, ""},
     {"ports", "LO-HI", "destination ports, taken in turn", false, "2222-2231"},
     {"rate", "N", "frames per second", false, "100000"},
     {"duration", "D", "how long to send (Go duration)", false, "5s"}},
    {}};

std::uint16_t checksum(const std::uint8_t* data, std::size_t length, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < length; i += 2)
    sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (length % 2) sum += static_cast<std::uint32_t>(data[length - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

void put16(std::uint8_t* at, unsigned value) {
  at[0] = static_cast<std::uint8_t>(value >> 8);
  at[1] = static_cast<std::uint8_t>(value);
}

// Frame writes one SYN from source:sourcePort to destination:destinationPort.
struct FrameTemplate {
  std::array<std::uint8_t, 6> sourceMac{};
  std::array<std::uint8_t, 6> destinationMac{};
  in_addr source{};
  in_addr destination{};

  void write(std::uint8_t* f, unsigned sourcePort, unsigned destinationPort, std::uint32_t sequence) const {
    std::memset(f, 0, kFrameSize);
    std::memcpy(f, destinationMac.data(), 6);
    std::memcpy(f + 6, sourceMac.data(), 6);
    put16(f + 12, ETHERTYPE_IP);
    std::uint8_t* ip = f + 14;
    ip[0] = 0x45;
    put16(ip + 2, 40);
    put16(ip + 4, sequence & 0xffff);  // identification
    ip[6] = 0x40;                      // don't fragment
    ip[8] = 64;
    ip[9] = IPPROTO_TCP;
    std::memcpy(ip + 12, &source, 4);
    std::memcpy(ip + 16, &destination, 4);
    put16(ip + 10, checksum(ip, 20));
    std::uint8_t* tcp = ip + 20;
    put16(tcp, sourcePort);
    put16(tcp + 2, destinationPort);
    tcp[4] = static_cast<std::uint8_t>(sequence >> 24);
    tcp[5] = static_cast<std::uint8_t>(sequence >> 16);
    tcp[6] = static_cast<std::uint8_t>(sequence >> 8);
    tcp[7] = static_cast<std::uint8_t>(sequence);
    tcp[12] = 5 << 4;
    tcp[13] = 0x02;  // SYN
    put16(tcp + 14, 64240);
    std::uint32_t pseudo = 0;  // source, destination, protocol, TCP length
    for (int i = 12; i < 20; i += 2) pseudo += static_cast<std::uint32_t>(ip[i] << 8 | ip[i + 1]);
    pseudo += IPPROTO_TCP + 20;
    put16(tcp + 16, checksum(tcp, 20, pseudo));
  }
};

bool parseMac(const std::string& text, std::array<std::uint8_t, 6>& mac) {
  unsigned v[6];
  if (std::sscanf(text.c_str(), "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
    return false;
  for (int i = 0; i < 6; ++i) {
    if (v[i] > 255) return false;
    mac[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v[i]);
  }
  return true;
}

int usageError(const std::string& message) {
  std::cerr << "bench-synflood: " << message << "\n\n" << helpText(spec);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parseArgs(spec, std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed) return usageError(parsed.error());
  if (parsed->help) {
    std::cout << helpText(spec);
    return 0;
  }
  FrameTemplate frame;
  const std::string interface = *parsed->flag("interface");
  if (inet_pton(AF_INET, parsed->flag("source-ip")->c_str(), &frame.source) != 1)
    return usageError("--source-ip: not an IPv4 address");
  if (inet_pton(AF_INET, parsed->flag("destination-ip")->c_str(), &frame.destination) != 1)
    return usageError("--destination-ip: not an IPv4 address");
  if (!parseMac(*parsed->flag("destination-mac"), frame.destinationMac))
    return usageError("--destination-mac: write six hex bytes, aa:bb:cc:dd:ee:ff");
  unsigned portLow = 0, portHigh = 0;
  if (std::sscanf(parsed->flag("ports")->c_str(), "%u-%u", &portLow, &portHigh) != 2 || portLow == 0 ||
      portHigh > 65535 || portLow > portHigh)
    return usageError("--ports: write LO-HI within 1-65535");
  const long rate = std::strtol(parsed->flag("rate")->c_str(), nullptr, 10);
  if (rate <= 0 || rate > 10000000) return usageError("--rate: frames per second, 1 to 10000000");
  auto duration = parseDuration(*parsed->flag("duration"));
  if (!duration || duration->count() <= 0) return usageError("--duration: a positive Go duration, e.g. 5s");

  int sock = socket(AF_PACKET, SOCK_RAW, 0);  // protocol 0: send only, receive nothing
  if (sock < 0) return std::perror("bench-synflood: socket(AF_PACKET)"), 1;
  ifreq request{};
  std::snprintf(request.ifr_name, IFNAMSIZ, "%s", interface.c_str());
  if (ioctl(sock, SIOCGIFHWADDR, &request) != 0)
    return std::perror(("bench-synflood: " + interface).c_str()), 1;
  std::memcpy(frame.sourceMac.data(), request.ifr_hwaddr.sa_data, 6);
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_ifindex = static_cast<int>(if_nametoindex(interface.c_str()));
  address.sll_halen = 6;
  std::memcpy(address.sll_addr, frame.destinationMac.data(), 6);
  if (bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    return std::perror("bench-synflood: bind"), 1;

  // One batch per millisecond; the remainder of rate/1000 is spread by carrying the fraction.
  constexpr long kTicksPerSecond = 1000;
  const long ticks =
      static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(*duration).count());
  const std::size_t maxBatch = static_cast<std::size_t>(rate / kTicksPerSecond + 1);
  std::vector<std::uint8_t> buffers(maxBatch * kFrameSize);
  std::vector<iovec> iov(maxBatch);
  std::vector<mmsghdr> messages(maxBatch);
  for (std::size_t i = 0; i < maxBatch; ++i) {
    iov[i] = {buffers.data() + i * kFrameSize, kFrameSize};
    messages[i] = {};
    messages[i].msg_hdr.msg_iov = &iov[i];
    messages[i].msg_hdr.msg_iovlen = 1;
  }
  std::uint64_t sent = 0, failed = 0, late = 0;
  std::uint32_t sequence = 0x5e55000;
  timespec next{};
  clock_gettime(CLOCK_MONOTONIC, &next);
  const auto start = std::chrono::steady_clock::now();
  for (long tick = 0; tick < ticks; ++tick) {
    std::size_t batch =
        static_cast<std::size_t>((tick + 1) * rate / kTicksPerSecond - tick * rate / kTicksPerSecond);
    for (std::size_t i = 0; i < batch; ++i, ++sequence) {
      unsigned sourcePort = 1024 + sequence % 60000;
      unsigned destinationPort = portLow + sequence % (portHigh - portLow + 1);
      frame.write(buffers.data() + i * kFrameSize, sourcePort, destinationPort, sequence);
    }
    std::size_t done = 0;
    while (done < batch) {
      int n = sendmmsg(sock, messages.data() + done, static_cast<unsigned>(batch - done), 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == ENOBUFS || errno == EAGAIN) {
          ++failed;
          continue;
        }
        std::perror("bench-synflood: sendmmsg");
        return 1;
      }
      done += static_cast<std::size_t>(n);
    }
    sent += batch;
    next.tv_nsec += 1000000000L / kTicksPerSecond;
    if (next.tv_nsec >= 1000000000L) {
      next.tv_nsec -= 1000000000L;
      ++next.tv_sec;
    }
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > next.tv_sec || (now.tv_sec == next.tv_sec && now.tv_nsec > next.tv_nsec)) {
      ++late;
    } else {
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  close(sock);
  std::printf("sent %llu frames in %.3f s: %.0f frames/s (late batches %llu, send retries %llu)\n",
              static_cast<unsigned long long>(sent), seconds, static_cast<double>(sent) / seconds,
              static_cast<unsigned long long>(late), static_cast<unsigned long long>(failed));
  return 0;
}
