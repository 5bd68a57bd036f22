// netns_peer: the traffic of the tracker e2e tests (tests/e2e/tracker/veth.sh,
// tests/e2e/controller/inactivity.sh), run on the host or inside the network namespace the test creates.
//
// usage:
//   netns_peer listen PORT...          accepts and closes TCP connections on every address (IPv4 and IPv6)
//                                      of each port; prints "listening" once bound; runs until killed
//   netns_peer connect HOST PORT COUNT opens COUNT TCP connections one after the other (a refused one counts:
//                                      its SYN went out) and prints "<before> <after>", Unix seconds with
//                                      microseconds: every SYN was sent between the two
//   netns_peer vlan-syn IFACE DST_MAC SRC_IP DST_IP DST_PORT VLAN_ID COUNT
//                                      sends COUNT 802.1Q-tagged TCP SYN frames out of IFACE with a packet
//                                      socket (the kernel here has no VLAN devices); prints the bounds too
// Exits 0 on success, 1 on a system error, 2 on bad usage. Every connect is bounded (5 s).
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace {

constexpr int kConnectTimeoutMillis = 5000;

int usage() {
  std::fputs(
      "usage: netns_peer listen PORT... | connect HOST PORT COUNT |\n"
      "       vlan-syn IFACE DST_MAC SRC_IP DST_IP DST_PORT VLAN_ID COUNT\n",
      stderr);
  return 2;
}

int systemError(const std::string& what) {
  std::fprintf(stderr, "netns_peer: %s: %s\n", what.c_str(), std::strerror(errno));
  return 1;
}

std::optional<long> number(const char* text, long min, long max) {
  char* end = nullptr;
  errno = 0;
  long value = std::strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < min || value > max) return std::nullopt;
  return value;
}

double unixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

int listenOn(const std::vector<std::uint16_t>& ports) {
  std::vector<pollfd> fds;
  for (std::uint16_t port : ports) {
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return systemError("socket");
    int on = 1;
    int off = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_any;
    address.sin6_port = htons(port);
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      return systemError("bind port " + std::to_string(port));
    if (listen(fd, 1024) != 0) return systemError("listen");
    fds.push_back({fd, POLLIN, 0});
  }
  std::puts("listening");
  std::fflush(stdout);
  for (;;) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return systemError("poll");
    }
    for (pollfd& entry : fds) {
      if (!(entry.revents & POLLIN)) continue;
      int connection = accept4(entry.fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (connection >= 0) close(connection);
    }
  }
}

// connectOnce sends one SYN and waits (bounded) for the answer; refused and timed out are not errors.
int connectOnce(const sockaddr_storage& address, socklen_t size) {
  int fd = socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return systemError("socket");
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), size) != 0 && errno != EINPROGRESS) {
    int saved = errno;
    close(fd);
    if (saved == ECONNREFUSED) return 0;
    errno = saved;
    return systemError("connect");
  }
  pollfd entry{fd, POLLOUT, 0};
  while (poll(&entry, 1, kConnectTimeoutMillis) < 0 && errno == EINTR) {
  }
  close(fd);
  return 0;
}

int connectTo(const char* host, std::uint16_t port, long count) {
  sockaddr_storage address{};
  socklen_t size = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    size = sizeof *v4;
  } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    size = sizeof *v6;
  } else {
    std::fprintf(stderr, "netns_peer: not an IP address: %s\n", host);
    return 2;
  }
  const double before = unixNow();
  for (long i = 0; i < count; ++i) {
    if (int rc = connectOnce(address, size); rc != 0) return rc;
  }
  std::printf("%.6f %.6f\n", before, unixNow());
  return 0;
}

std::uint16_t checksum(const std::vector<std::uint8_t>& data) {
  std::uint32_t total = 0;
  for (std::size_t i = 0; i < data.size(); i += 2) {
    std::uint32_t high = data[i];
    std::uint32_t low = i + 1 < data.size() ? data[i + 1] : 0;
    total += (high << 8) | low;
  }
  while (total >> 16) total = (total & 0xffff) + (total >> 16);
  return static_cast<std::uint16_t>(~total & 0xffff);
}

void put16(std::vector<std::uint8_t>& out, std::size_t at, std::uint16_t value) {
  out[at] = static_cast<std::uint8_t>(value >> 8);
  out[at + 1] = static_cast<std::uint8_t>(value & 0xff);
}

void append16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xff));
}

// synFrame is an Ethernet frame with one 802.1Q tag carrying an IPv4 TCP SYN (no options).
std::vector<std::uint8_t> synFrame(const std::array<std::uint8_t, 6>& dstMac, const std::array<std::uint8_t, 6>& srcMac,
                                   in_addr src, in_addr dst, std::uint16_t port, std::uint16_t vlan, long index) {
  std::vector<std::uint8_t> tcp(20, 0);
  put16(tcp, 0, static_cast<std::uint16_t>(40000 + index));
  put16(tcp, 2, port);
  const auto sequence = static_cast<std::uint32_t>(1000 + index);
  for (int i = 0; i < 4; ++i) tcp[4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(sequence >> (24 - 8 * i));
  tcp[12] = 5 << 4;
  tcp[13] = 0x02;  // SYN
  put16(tcp, 14, 64240);
  std::vector<std::uint8_t> pseudo;
  const auto* s = reinterpret_cast<const std::uint8_t*>(&src.s_addr);
  const auto* d = reinterpret_cast<const std::uint8_t*>(&dst.s_addr);
  pseudo.insert(pseudo.end(), s, s + 4);
  pseudo.insert(pseudo.end(), d, d + 4);
  pseudo.push_back(0);
  pseudo.push_back(IPPROTO_TCP);
  append16(pseudo, static_cast<std::uint16_t>(tcp.size()));
  pseudo.insert(pseudo.end(), tcp.begin(), tcp.end());
  put16(tcp, 16, checksum(pseudo));

  std::vector<std::uint8_t> ip(20, 0);
  ip[0] = 0x45;
  put16(ip, 2, static_cast<std::uint16_t>(ip.size() + tcp.size()));
  put16(ip, 4, static_cast<std::uint16_t>(index));
  ip[8] = 64;
  ip[9] = IPPROTO_TCP;
  std::memcpy(&ip[12], s, 4);
  std::memcpy(&ip[16], d, 4);
  put16(ip, 10, checksum(ip));

  std::vector<std::uint8_t> frame(dstMac.begin(), dstMac.end());
  frame.insert(frame.end(), srcMac.begin(), srcMac.end());
  append16(frame, ETH_P_8021Q);
  append16(frame, vlan);
  append16(frame, ETH_P_IP);
  frame.insert(frame.end(), ip.begin(), ip.end());
  frame.insert(frame.end(), tcp.begin(), tcp.end());
  return frame;
}

std::optional<std::array<std::uint8_t, 6>> parseMac(const char* text) {
  std::array<std::uint8_t, 6> mac{};
  unsigned parts[6];
  char extra = 0;
  if (std::sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &parts[0], &parts[1], &parts[2], &parts[3], &parts[4],
                  &parts[5], &extra) != 6)
    return std::nullopt;
  for (std::size_t i = 0; i < 6; ++i) mac[i] = static_cast<std::uint8_t>(parts[i]);
  return mac;
}

int vlanSyn(char** args) {
  const char* iface = args[0];
  auto dstMac = parseMac(args[1]);
  in_addr src{};
  in_addr dst{};
  auto port = number(args[4], 1, 65535);
  auto vlan = number(args[5], 0, 4095);
  auto count = number(args[6], 1, 1000000);
  if (!dstMac || inet_pton(AF_INET, args[2], &src) != 1 || inet_pton(AF_INET, args[3], &dst) != 1 || !port ||
      !vlan || !count)
    return usage();
  const unsigned index = if_nametoindex(iface);
  if (index == 0) return systemError(std::string("interface ") + iface);
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) return systemError("packet socket");
  sockaddr_ll link{};
  link.sll_family = AF_PACKET;
  link.sll_ifindex = static_cast<int>(index);
  if (bind(fd, reinterpret_cast<sockaddr*>(&link), sizeof link) != 0) return systemError("bind");
  sockaddr_ll bound{};
  socklen_t boundSize = sizeof bound;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundSize) != 0) return systemError("getsockname");
  std::array<std::uint8_t, 6> srcMac{};
  std::memcpy(srcMac.data(), bound.sll_addr, srcMac.size());
  const double before = unixNow();
  for (long i = 0; i < *count; ++i) {
    auto frame = synFrame(*dstMac, srcMac, src, dst, static_cast<std::uint16_t>(*port),
                          static_cast<std::uint16_t>(*vlan), i);
    if (send(fd, frame.data(), frame.size(), 0) != static_cast<ssize_t>(frame.size())) return systemError("send");
  }
  std::printf("%.6f %.6f\n", before, unixNow());
  close(fd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string command = argv[1];
  if (command == "listen" && argc >= 3) {
    std::vector<std::uint16_t> ports;
    for (int i = 2; i < argc; ++i) {
      auto port = number(argv[i], 1, 65535);
      if (!port) return usage();
      ports.push_back(static_cast<std::uint16_t>(*port));
    }
    return listenOn(ports);
  }
  if (command == "connect" && argc == 5) {
    auto port = number(argv[3], 1, 65535);
    auto count = number(argv[4], 1, 1000000);
    if (!port || !count) return usage();
    return connectTo(argv[2], static_cast<std::uint16_t>(*port), *count);
  }
  if (command == "vlan-syn" && argc == 9) return vlanSyn(argv + 2);
  return usage();
}
