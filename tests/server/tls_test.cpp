// TLS settings of the webhook server: protocol versions, client certificates, socket options.
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>

#include "harness.h"
#include "tls_probe.h"

using namespace sessiongate::webhook;
using namespace sessiongate::webhook::testing;

TEST_CASE("TLS 1.1 and older are refused, TLS 1.2 and 1.3 are served", "[server][tls]") {
  TlsFixture tls("tls-versions");
  RunningServer running(tls.options());
  struct Case {
    int maxVersion;
    bool ok;
    std::string protocol;
  };
  const std::vector<Case> cases = {
      {TLS1_VERSION, false, ""},
      {TLS1_1_VERSION, false, ""},
      {TLS1_2_VERSION, true, "TLSv1.2"},
      {TLS1_3_VERSION, true, "TLSv1.3"},
  };
  for (const auto& c : cases) {
    INFO("max version " << std::hex << c.maxVersion);
    ProbeOptions options;
    options.caFile = tls.pki.caFile();
    options.maxVersion = c.maxVersion;
    auto result = probeTls(running.port(), options);
    INFO(result.error);
    CHECK(result.ok == c.ok);
    CHECK(result.protocol == c.protocol);
    if (c.ok) CHECK(result.response.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  }
}

TEST_CASE("with a client CA, reviews need a certificate from it; probes without one reach only the health endpoints",
          "[server][tls]") {
  TlsFixture tls("tls-mtls");
  auto trusted =
      tls.pki.issueClient(tls.pki.dir() / "apiserver.crt", tls.pki.dir() / "apiserver.key", "kube-apiserver");
  TestPki otherCa(freshTempDir("tls-mtls-other"));
  auto untrusted = otherCa.issueClient(otherCa.dir() / "rogue.crt", otherCa.dir() / "rogue.key", "rogue");
  auto options = tls.options();
  options.clientCAFile = tls.pki.caFile();
  RunningServer running(options);

  for (int maxVersion : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    INFO("max version " << std::hex << maxVersion);
    ProbeOptions probe;
    probe.caFile = tls.pki.caFile();
    probe.maxVersion = maxVersion;
    // The kubelet's HTTPS probes present no certificate: GET /healthz is served.
    auto anonymous = probeTls(running.port(), probe);
    INFO(anonymous.error);
    CHECK(anonymous.ok);
    CHECK(anonymous.response.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);

    probe.clientCertFile = untrusted.certFile;
    probe.clientKeyFile = untrusted.keyFile;
    auto rogue = probeTls(running.port(), probe);
    CHECK_FALSE(rogue.ok);

    probe.clientCertFile = trusted.certFile;
    probe.clientKeyFile = trusted.keyFile;
    auto apiserver = probeTls(running.port(), probe);
    INFO(apiserver.error);
    CHECK(apiserver.ok);
    CHECK(apiserver.response.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  }

  // The same through cpp-httplib's client, as the benchmark and other callers use it.
  httplib::SSLClient withCert("127.0.0.1", running.port(), trusted.certFile.string(),
                              trusted.keyFile.string());
  withCert.set_ca_cert_path(tls.pki.caFile().string());
  withCert.enable_server_certificate_verification(true);
  auto served = withCert.Post("/validate", reviewBody("UserSession"), "application/json");
  REQUIRE(served);
  CHECK(served->status == 200);

  // Without a certificate, every review is refused before it is read; health endpoints answer.
  auto without = verifyingClient(running.port(), tls.pki.caFile());
  for (const char* path : {"/validate", "/mutate"}) {
    auto refused = without->Post(path, reviewBody("UserSession"), "application/json");
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK(refused->body ==
          "a client certificate signed by the --client-ca is required for admission reviews (only the API server "
          "may send them)\n");
  }
  auto health = without->Get("/readyz");
  REQUIRE(health);
  CHECK(health->status == 200);
}

namespace {

// acceptedSocketsOf lists this process's connected TCP sockets whose local port is port: the server side
// of the connections the test opened, since the server runs in this process.
std::vector<int> acceptedSocketsOf(int port) {
  std::vector<int> fds;
  DIR* dir = opendir("/proc/self/fd");
  while (dirent* entry = readdir(dir)) {
    int fd = std::atoi(entry->d_name);
    sockaddr_storage local{}, peer{};
    socklen_t localLen = sizeof(local), peerLen = sizeof(peer);
    if (fd <= 2 || getsockname(fd, reinterpret_cast<sockaddr*>(&local), &localLen) != 0) continue;
    if (local.ss_family != AF_INET || getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peerLen) != 0)
      continue;
    if (ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port) == port) fds.push_back(fd);
  }
  closedir(dir);
  return fds;
}

}  // namespace

TEST_CASE("accepted sockets have TCP_NODELAY set", "[server][tls]") {
  TlsFixture tls("tls-nodelay");
  RunningServer running(tls.options());
  auto first = verifyingClient(running.port(), tls.pki.caFile());
  auto second = verifyingClient(running.port(), tls.pki.caFile());
  REQUIRE(first->Get("/healthz"));
  REQUIRE(second->Get("/healthz"));

  auto accepted = acceptedSocketsOf(running.port());
  REQUIRE(accepted.size() == 2);  // the two keep-alive connections
  for (int fd : accepted) {
    int nodelay = 0;
    socklen_t len = sizeof(nodelay);
    REQUIRE(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len) == 0);
    CHECK(nodelay == 1);
  }
}
