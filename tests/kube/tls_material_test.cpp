// TlsMaterial keeps CA data given in memory (a kubeconfig's certificate-authority-data) in an anonymous
// file: readable by path while the material lives, never a name in the temp directory, closed after.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/file_text.h"
#include "core/kube/tls_material.h"
#include "test_certs.h"

namespace sessiongate::kube {
namespace {

// namedCaFiles counts the files in the temp directory with the name pattern TlsMaterial creates.
int namedCaFiles() {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
    if (entry.path().filename().string().rfind("sessiongate-ca-", 0) == 0) ++n;
  }
  return n;
}

TEST_CASE("CA data lives in an anonymous file for as long as the material", "[kube][tls]") {
  testing::TestPki pki;
  ClientConfig config;
  config.server = "https://127.0.0.1:6443";
  config.caData = pki.ca().certPem;
  config.origin = "kubeconfig test";
  const int before = namedCaFiles();

  std::string path;
  {
    auto material = TlsMaterial::load(config);
    REQUIRE(material.ok());
    path = (*material)->caFile();
    CHECK(path.rfind("/proc/self/fd/", 0) == 0);
    CHECK(fileText(path).value() == pki.ca().certPem);
    CHECK(namedCaFiles() == before);
    int fd = std::stoi(path.substr(std::string("/proc/self/fd/").size()));
    CHECK((::fcntl(fd, F_GETFD) & FD_CLOEXEC) == FD_CLOEXEC);
  }
  CHECK(::access(path.c_str(), F_OK) != 0);  // the descriptor is closed with the material
  CHECK(namedCaFiles() == before);
}

TEST_CASE("a CA file is used where it is, and no CA means the system's trust store", "[kube][tls]") {
  ClientConfig config;
  config.server = "https://127.0.0.1:6443";
  config.origin = "kubeconfig test";
  auto none = TlsMaterial::load(config);
  REQUIRE(none.ok());
  CHECK((*none)->caFile().empty());

  testing::TestPki pki;
  auto dir = std::filesystem::temp_directory_path() / ("tls-material-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "ca.crt") << pki.ca().certPem;
  config.caFile = (dir / "ca.crt").string();
  auto fromFile = TlsMaterial::load(config);
  REQUIRE(fromFile.ok());
  CHECK((*fromFile)->caFile() == config.caFile);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sessiongate::kube
