// kubeconfig parsing, in-cluster config and the rotating token file.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/kube/client_config.h"
#include "core/kube/token_source.h"
#include "tests/support/fake_clock.h"

namespace sessiongate::kube {
namespace {

namespace fs = std::filesystem;

const std::string kDir = std::string(SESSIONGATE_FIXTURES) + "/kubeconfig";

// TempDir is a fresh directory removed at the end of a test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "kube-test-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

TEST_CASE("kubeconfig contexts resolve to server, CA, credentials and namespace", "[kube][kubeconfig]") {
  struct Row {
    std::string file, context;
    ClientConfig expected;
  };
  const std::string caPem = "-----BEGIN CERTIFICATE-----\nTESTCA\n-----END CERTIFICATE-----\n";
  std::vector<Row> rows;
  {
    ClientConfig c;
    c.server = "https://127.0.0.1:6443";
    c.caData = caPem;
    c.clientCertData = "-----BEGIN CERTIFICATE-----\nADMIN\n-----END CERTIFICATE-----\n";
    c.clientKeyData = "-----BEGIN PRIVATE KEY-----\nADMINKEY\n-----END PRIVATE KEY-----\n";
    c.defaultNamespace = "sessiongate";
    c.origin = "kubeconfig " + kDir + "/data.yaml (context admin@local)";
    rows.push_back({"data.yaml", "", c});
  }
  {
    ClientConfig c;
    c.server = "https://localhost:6443";
    c.caFile = kDir + "/pki/ca.crt";
    c.clientCertFile = kDir + "/pki/admin.crt";
    c.clientKeyFile = kDir + "/pki/admin.key";
    c.origin = "kubeconfig " + kDir + "/files.yaml (context admin@local)";
    rows.push_back({"files.yaml", "", c});
  }
  {
    ClientConfig c;
    c.server = "https://10.0.0.1";
    c.caFile = "/etc/kubernetes/pki/ca.crt";
    c.tokenFile = kDir + "/secrets/robot.token";
    c.defaultNamespace = "ci";
    c.origin = "kubeconfig " + kDir + "/files.yaml (context robot@remote)";
    rows.push_back({"files.yaml", "robot@remote", c});
  }
  {
    ClientConfig c;
    c.server = "https://[::1]:6443";
    c.caData = caPem;
    c.token = "abc.def-123";
    c.origin = "kubeconfig " + kDir + "/token.yaml (context ctx)";
    rows.push_back({"token.yaml", "", c});
  }
  for (const Row& row : rows) {
    INFO(row.file << " " << row.context);
    auto got = loadKubeconfig(kDir + "/" + row.file, {row.context, false});
    REQUIRE(got.ok());
    const ClientConfig& e = row.expected;
    CHECK(got->server == e.server);
    CHECK(got->caFile == e.caFile);
    CHECK(got->caData == e.caData);
    CHECK(got->insecureSkipTlsVerify == false);
    CHECK(got->clientCertFile == e.clientCertFile);
    CHECK(got->clientCertData == e.clientCertData);
    CHECK(got->clientKeyFile == e.clientKeyFile);
    CHECK(got->clientKeyData == e.clientKeyData);
    CHECK(got->token == e.token);
    CHECK(got->tokenFile == e.tokenFile);
    CHECK(got->defaultNamespace == e.defaultNamespace);
    CHECK(got->origin == e.origin);
  }
}

TEST_CASE("kubeconfig problems are reported with where and what to do", "[kube][kubeconfig]") {
  struct Row {
    std::string file, context, error;
  };
  const std::string k = "kubeconfig " + kDir + "/";
  std::vector<Row> rows = {
      {"files.yaml", "nope",
       k + "files.yaml: context \"nope\" not found (contexts: admin@local, robot@remote)"},
      {"broken.yaml", "", k + "broken.yaml: no current-context is set; name a context to use"},
      {"broken.yaml", "bad-ca",
       k + "broken.yaml: cluster \"c\": certificate-authority-data is not valid base64"},
      {"broken.yaml", "no-server",
       k + "broken.yaml: cluster \"noserver\" has no server URL; set clusters[].cluster.server"},
      {"broken.yaml", "missing-cluster",
       k + "broken.yaml: cluster \"gone\" of context \"missing-cluster\" not found"},
      {"broken.yaml", "missing-user",
       k + "broken.yaml: user \"nobody\" of context \"missing-user\" not found"},
      {"broken.yaml", "cert-only",
       k + "broken.yaml: user \"certonly\" has a client certificate but no client-key; set both or neither"},
      {"exec.yaml", "",
       k + "exec.yaml: user \"u\" uses a credential plugin (exec or auth-provider), which is not supported; "
           "use a "
           "token, tokenFile or client certificate"},
      {"insecure.yaml", "",
       k + "insecure.yaml: cluster \"c\" sets insecure-skip-tls-verify: true; refusing to talk to an API "
           "server whose "
           "certificate is not verified. Set certificate-authority or certificate-authority-data instead, or "
           "allow "
           "insecure connections explicitly"},
      {"absent.yaml", "", k + "absent.yaml: cannot be read; check the path (--kubeconfig or $KUBECONFIG)"},
  };
  for (const Row& row : rows) {
    INFO(row.file << " " << row.context);
    auto got = loadKubeconfig(kDir + "/" + row.file, {row.context, false});
    REQUIRE_FALSE(got.ok());
    CHECK(got.error() == row.error);
  }
  auto allowed = loadKubeconfig(kDir + "/insecure.yaml", {"", true});
  REQUIRE(allowed.ok());
  CHECK(allowed->insecureSkipTlsVerify);
  CHECK(allowed->token == "t");
}

TEST_CASE("in-cluster config uses the service account files", "[kube][kubeconfig]") {
  TempDir dir;
  InClusterSettings s;
  s.serviceHost = "10.96.0.1";
  s.servicePort = "443";
  s.tokenFile = dir.write("token", "eyJhbGciOi.sa-token\n");
  s.caFile = dir.write("ca.crt", "pem");
  s.namespaceFile = dir.write("namespace", "sessiongate\n");
  auto got = inClusterConfig(s);
  REQUIRE(got.ok());
  CHECK(got->server == "https://10.96.0.1:443");
  CHECK(got->caFile == s.caFile);
  CHECK(got->tokenFile == s.tokenFile);
  CHECK(got->token.empty());
  CHECK(got->defaultNamespace == "sessiongate");

  s.serviceHost = "fd00::1";
  CHECK(inClusterConfig(s)->server == "https://[fd00::1]:443");

  InClusterSettings missing = s;
  missing.tokenFile = (dir.path / "absent").string();
  auto noToken = inClusterConfig(missing);
  REQUIRE_FALSE(noToken.ok());
  CHECK(noToken.error() == "in-cluster config: cannot read the service-account token " + missing.tokenFile +
                               "; is automountServiceAccountToken disabled?");
  InClusterSettings outside;
  auto notInPod = inClusterConfig(outside);
  REQUIRE_FALSE(notInPod.ok());
  CHECK(notInPod.error() ==
        "in-cluster config: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; not running in "
        "a pod? "
        "pass a kubeconfig instead");
}

TEST_CASE("a token file is re-read when it changes and at least every minute", "[kube][token]") {
  TempDir dir;
  std::string path = dir.write("token", "first\n");
  FakeClock clock;
  TokenSource tokens("", path, clock);
  CHECK(*tokens.token() == "first");

  // Rotated in place: a new mtime is noticed on the next request.
  std::ofstream(path) << "second";
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(5));
  CHECK(*tokens.token() == "second");

  // Same mtime (a file system with coarse timestamps): picked up once the refresh interval has passed.
  auto mtime = fs::last_write_time(path);
  std::ofstream(path) << "third";
  fs::last_write_time(path, mtime);
  clock.advance(std::chrono::seconds(30));
  CHECK(*tokens.token() == "second");
  clock.advance(std::chrono::seconds(31));
  CHECK(*tokens.token() == "third");

  // Gone for a moment (kubelet swaps a symlink): the last good token stays in use.
  fs::remove(path);
  clock.advance(std::chrono::seconds(61));
  CHECK(*tokens.token() == "third");

  TokenSource fixed("static-token", "");
  CHECK(*fixed.token() == "static-token");
  TokenSource absent("", (dir.path / "none").string());
  REQUIRE_FALSE(absent.token().ok());
  CHECK(absent.token().error() ==
        "bearer token file " + (dir.path / "none").string() + " cannot be read or is empty");
}

}  // namespace
}  // namespace sessiongate::kube
