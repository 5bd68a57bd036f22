// TlsMaterial keeps CA data given inline (a kubeconfig's certificate-authority-data) in memory: a client
// trusts exactly the certificates of the bundle, refuses a bundle it cannot read whole, and writes no file.
#include "core/kube/tls_material.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include "core/kube/kube_client.h"
#include "fake_api_server.h"
#include "test_certs.h"

namespace sessiongate::kube {
namespace {

namespace fs = std::filesystem;
using testing::FakeApiServer;
using testing::fixture;

const std::string kCmPath = "/api/v1/namespaces/e2e/configmaps/app-1";
const std::string kOrigin = "kubeconfig test (context tls)";

// ScopedEnv sets an environment variable for the life of the object and then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// TestDir is a fresh empty directory for one test, removed afterwards.
class TestDir {
 public:
  explicit TestDir(const std::string& name)
      : path_(fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TestDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<std::string> entriesOf(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  return names;
}

// openFilesUnder lists the files this process holds open below dir, unlinked ones included ("... (deleted)").
std::vector<std::string> openFilesUnder(const fs::path& dir) {
  std::vector<std::string> open;
  for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    fs::path target = fs::read_symlink(entry.path(), ec);
    if (!ec && target.string().rfind(dir.string() + "/", 0) == 0) open.push_back(target.string());
  }
  return open;
}

std::set<std::string> namedCaFilesInTmp() {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator("/tmp")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("sessiongate-ca-", 0) == 0) names.insert(name);
  }
  return names;
}

ClientConfig tlsConfig(const FakeApiServer& server, const testing::TestPki& pki, const std::string& caData) {
  ClientConfig config;
  config.server = server.url();
  config.caData = caData;
  config.clientCertData = pki.client().certPem;
  config.clientKeyData = pki.client().keyPem;
  config.origin = kOrigin;
  return config;
}

TEST_CASE("inline CA data: every certificate of the bundle is trusted, and nothing else",
          "[kube][tls][client]") {
  testing::TestPki pki;                  // signed the fake API server's certificate
  testing::TestPki other("another-ca");  // did not
  FakeApiServer server(pki.server().cert, pki.server().key, pki.clientCaStore());
  server.on("GET", kCmPath, {{200, fixture("configmap_get.json")}});
  TestDir dir("kube-ca-data");
  // The system's default trust store is what SSL_CERT_FILE and SSL_CERT_DIR name: hermetic, and a row can
  // make the system trust the server's CA to show that configured CA data replaces the system's roots.
  const fs::path systemFile = dir.path() / "system-ca.pem";
  ScopedEnv certDir("SSL_CERT_DIR", dir.path() / "no-such-dir");
  ScopedEnv certFile("SSL_CERT_FILE", systemFile);

  const std::string untrusted = "GET " + server.url() + kCmPath +
                                ": the server's certificate is not trusted (self-signed certificate in "
                                "certificate chain); check the certificate-authority of " +
                                kOrigin;
  const std::string notPem =
      kOrigin +
      ": certificate-authority is not a PEM certificate: error:0480006C:PEM routines::no start line";
  const std::string ca = pki.ca().certPem, otherCa = other.ca().certPem;
  const std::string brokenBlock =
      "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";

  struct Row {
    const char* name;
    std::string caData;
    std::string systemCa;      // what the system's default CA file holds
    int certificates;          // how many the material holds
    std::string loadError;     // empty: the client is built
    std::string requestError;  // empty: the GET succeeds
  };
  const std::vector<Row> rows = {
      {"one certificate, the signer", ca, "", 1, "", ""},
      {"a bundle of two, the signer second", otherCa + ca, "", 2, "", ""},
      {"a bundle of two, the signer first", ca + otherCa, "", 2, "", ""},
      {"a bundle with comments between the blocks", "# other\n" + otherCa + "\n# ours\n" + ca + "# end\n", "",
       2, "", ""},
      {"one certificate, not the signer", otherCa, "", 1, "", untrusted},
      {"not the signer, while the system trusts the signer", otherCa, ca, 1, "", untrusted},
      {"empty: the system's trust store, which holds the signer", "", ca, 0, "", ""},
      {"empty: the system's trust store, without the signer", "", otherCa, 0, "", untrusted},
      {"garbage", "hello", "", 0, notPem, ""},
      {"a private key, no certificate", pki.client().keyPem, "", 0, notPem, ""},
      {"a broken first certificate", brokenBlock + ca, "", 0,
       kOrigin + ": certificate-authority is not a PEM certificate: error:0680009B:asn1 encoding "
                 "routines::too long",
       ""},
      {"a broken second certificate", ca + brokenBlock, "", 0,
       kOrigin + ": certificate-authority: certificate 2 of the bundle is broken: error:0680009B:asn1 "
                 "encoding routines::too long",
       ""},
      {"a cut second certificate", ca + otherCa.substr(0, otherCa.size() / 2), "", 0,
       kOrigin + ": certificate-authority: certificate 2 of the bundle is broken: error:04800066:PEM "
                 "routines::bad end line",
       ""},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    std::ofstream(systemFile, std::ios::trunc) << row.systemCa;
    ClientConfig config = tlsConfig(server, pki, row.caData);

    auto material = TlsMaterial::load(config);
    if (!row.loadError.empty()) {
      REQUIRE_FALSE(material.ok());
      CHECK(material.error() == row.loadError);
      auto client = KubeClient::fromConfig(config);
      REQUIRE_FALSE(client.ok());
      CHECK(client.error() == row.loadError);
      continue;
    }
    REQUIRE(material.ok());
    CHECK((*material)->caDataCertificates() == row.certificates);
    CHECK((*material)->caFile().empty());

    auto client = KubeClient::fromConfig(config);
    REQUIRE(client.ok());
    auto got = (*client)->get(resources::kConfigMaps, "e2e", "app-1");
    if (row.requestError.empty()) {
      REQUIRE(got.ok());
      CHECK((*got)["metadata"]["name"] == "app-1");
    } else {
      REQUIRE_FALSE(got.ok());
      CHECK(got.error().message == row.requestError);
    }
  }
}

TEST_CASE("a client with inline CA and client certificate data writes no file", "[kube][tls][client]") {
  testing::TestPki pki;
  FakeApiServer server(pki.server().cert, pki.server().key, pki.clientCaStore());
  server.on("GET", kCmPath, {{200, fixture("configmap_get.json")}});
  TestDir tmp("kube-no-temp-files");
  const auto namedBefore = namedCaFilesInTmp();
  ScopedEnv tmpdir("TMPDIR", tmp.path());
  REQUIRE(fs::temp_directory_path() == tmp.path());

  auto client = KubeClient::fromConfig(tlsConfig(server, pki, pki.ca().certPem));
  REQUIRE(client.ok());
  REQUIRE((*client)->get(resources::kConfigMaps, "e2e", "app-1").ok());
  CHECK(server.requests().at(0).clientCertCn == "alice");

  CHECK(entriesOf(tmp.path()).empty());
  CHECK(openFilesUnder(tmp.path()).empty());  // not even an unlinked file held open
  CHECK(namedCaFilesInTmp() == namedBefore);
}

TEST_CASE("a CA file is used where it is, and no CA means the system's trust store", "[kube][tls]") {
  ClientConfig config;
  config.server = "https://127.0.0.1:6443";
  config.origin = "kubeconfig test";
  auto none = TlsMaterial::load(config);
  REQUIRE(none.ok());
  CHECK((*none)->caFile().empty());
  CHECK((*none)->caDataCertificates() == 0);

  testing::TestPki pki;
  TestDir dir("tls-material-test");
  std::ofstream(dir.path() / "ca.crt") << pki.ca().certPem;
  config.caFile = (dir.path() / "ca.crt").string();
  auto fromFile = TlsMaterial::load(config);
  REQUIRE(fromFile.ok());
  CHECK((*fromFile)->caFile() == config.caFile);
  CHECK((*fromFile)->caDataCertificates() == 0);

  std::ofstream(dir.path() / "ca.crt", std::ios::trunc) << "hello";
  auto notPem = TlsMaterial::load(config);
  REQUIRE_FALSE(notPem.ok());
  CHECK(notPem.error() ==
        "kubeconfig test: certificate-authority is not a PEM certificate: error:0480006C:PEM routines::no "
        "start line");
}

}  // namespace
}  // namespace sessiongate::kube
