// An informer stops (its thread joined) whatever its API server is doing: not there, accepting and never
// answering, or answering and then going silent. The transport's timeouts are set far beyond ctest's own, so
// only stop() can end a blocked call; a hang is caught by ctest's per-test timeout.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/kube/informer.h"
#include "test_certs.h"

namespace sessiongate::kube {
namespace {

const std::string kListBody = R"({"kind":"ConfigMapList","metadata":{"resourceVersion":"7"},"items":[]})";
const std::string kListAnswer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                std::to_string(kListBody.size()) + "\r\n\r\n" + kListBody;

// PeerMode is how the test's API server behaves.
enum class PeerMode {
  Absent,           // a bound socket that does not listen: every connect is refused
  Silent,           // accepts and reads, never writes (a TLS client waits in its handshake)
  AnswerThenSilent  // answers the first request (a list) and then reads and never writes
};

// Peer is a raw TCP server on 127.0.0.1 with one thread per connection; it counts the requests it has read
// (for Silent with TLS, the connections that sent their first bytes).
class Peer {
 public:
  explicit Peer(PeerMode mode) : mode_(mode) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    if (mode_ == PeerMode::Absent) return;
    REQUIRE(::listen(fd_, 16) == 0);
    acceptor_ = std::thread([this] { acceptLoop(); });
  }
  ~Peer() {
    ::shutdown(fd_, SHUT_RDWR);
    if (acceptor_.joinable()) acceptor_.join();
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int conn : conns_) ::shutdown(conn, SHUT_RDWR);
    }
    for (std::thread& t : readers_) t.join();
    for (int conn : conns_) ::close(conn);
    ::close(fd_);
  }

  int port() const { return port_; }
  // waitForRequests blocks until count requests (or first bytes) have arrived.
  void waitForRequests(int count) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return requests_ >= count; });
  }

 private:
  void acceptLoop() {
    while (true) {
      int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) return;
      std::lock_guard<std::mutex> lock(mu_);
      conns_.push_back(conn);
      readers_.emplace_back([this, conn] { serve(conn); });
    }
  }

  void serve(int conn) {
    std::string received;
    char buffer[4096];
    while (true) {
      ssize_t n = ::read(conn, buffer, sizeof buffer);
      if (n <= 0) return;
      received.append(buffer, static_cast<std::size_t>(n));
      // A TLS ClientHello never ends in a blank line; it counts as one request.
      bool plain = received.rfind("GET ", 0) == 0;
      std::size_t end = received.find("\r\n\r\n");
      if (plain && end == std::string::npos) continue;
      received.erase(0, plain ? end + 4 : received.size());
      bool answer = false;
      {
        std::lock_guard<std::mutex> lock(mu_);
        answer = mode_ == PeerMode::AnswerThenSilent && requests_ == 0;
        ++requests_;
      }
      // Catch2's assertions are not for other threads; a failed write shows as a list never answered.
      if (answer && ::write(conn, kListAnswer.data(), kListAnswer.size()) < 0) return;
      cv_.notify_all();
    }
  }

  PeerMode mode_;
  int fd_ = -1;
  int port_ = 0;
  std::thread acceptor_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> conns_;
  std::vector<std::thread> readers_;
  int requests_ = 0;
};

struct StopCase {
  const char* name;
  PeerMode mode;
  bool tls;
  int waitForRequests;  // stop once the peer has read this many (the informer is then blocked on it)
  bool synced;          // the informer listed before the peer went silent
};

TEST_CASE("an informer stops promptly whatever its API server does", "[kube][informer][stop]") {
  const StopCase cases[] = {
      {"no listener", PeerMode::Absent, true, 0, false},
      {"a listener that never answers the list", PeerMode::Silent, false, 1, false},
      {"a listener that never answers the TLS handshake", PeerMode::Silent, true, 1, false},
      {"an answered list, then a watch never answered", PeerMode::AnswerThenSilent, false, 2, true},
  };
  testing::TestPki pki;
  for (const StopCase& c : cases) {
    SECTION(c.name) {
      Peer peer(c.mode);
      ClientConfig config;
      config.server = std::string(c.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(peer.port());
      config.caData = pki.ca().certPem;
      config.origin = "test";
      const TransportTimeouts patient{3600, 3600, 3600};
      auto client = KubeClient::fromConfig(config, patient);
      REQUIRE(client);
      ReflectorOptions options;
      options.ns = "e2e";
      options.watchTimeoutSeconds = 3600;
      options.random = [] { return 0.5; };
      Informer informer(**client, resources::kConfigMaps, options, {}, [](const Json&) {});
      informer.start();
      peer.waitForRequests(c.waitForRequests);
      informer.stop();
      CHECK(informer.hasSynced() == c.synced);
    }
  }
}

}  // namespace
}  // namespace sessiongate::kube
