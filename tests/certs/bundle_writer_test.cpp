// writeBundle: file names, contents, modes, directory creation and refusal of a non-directory.
#include "certs/bundle_writer.h"
#include "core/file_text.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sessiongate::certs {
namespace {

namespace fs = std::filesystem;

// TempDir is a fresh directory under the system temp dir, removed with its contents at scope end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sessiongate-certs-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

unsigned modeOf(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

const CertBundle fakeBundle{"CA CERT\n", "CA KEY\n", "TLS CERT\n", "TLS KEY\n"};

}  // namespace

TEST_CASE("writeBundle writes the four files with their modes", "[certs][write]") {
  TempDir temp;
  fs::path out = temp.path() / "nested" / "out";
  auto written = writeBundle(fakeBundle, out);
  REQUIRE(written.ok());
  CHECK(*written == std::vector<fs::path>{out / "ca.crt", out / "ca.key", out / "tls.crt", out / "tls.key"});
  CHECK(modeOf(out) == 0700);
  struct Expected {
    const char* name;
    std::string content;
    unsigned mode;
  };
  const Expected expected[] = {{"ca.crt", "CA CERT\n", 0644},
                               {"ca.key", "CA KEY\n", 0600},
                               {"tls.crt", "TLS CERT\n", 0644},
                               {"tls.key", "TLS KEY\n", 0600}};
  for (const Expected& e : expected) {
    INFO(e.name);
    CHECK(fileText(out / e.name).value() == e.content);
    CHECK(modeOf(out / e.name) == e.mode);
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(out)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"ca.crt", "ca.key", "tls.crt", "tls.key"});
}

TEST_CASE("writeBundle replaces existing files and tightens their modes", "[certs][write]") {
  TempDir temp;
  {
    std::ofstream stale(temp.path() / "tls.key");
    stale << "an older key that is much longer than the new one\n";
  }
  ::chmod((temp.path() / "tls.key").c_str(), 0666);
  auto written = writeBundle(fakeBundle, temp.path());
  REQUIRE(written.ok());
  CHECK(fileText(temp.path() / "tls.key").value() == "TLS KEY\n");
  CHECK(modeOf(temp.path() / "tls.key") == 0600);
  CHECK(modeOf(temp.path()) == 0700);
}

TEST_CASE("writeBundle refuses an output path that is a file", "[certs][write]") {
  TempDir temp;
  fs::path file = temp.path() / "occupied";
  std::ofstream(file) << "x";
  auto written = writeBundle(fakeBundle, file);
  REQUIRE_FALSE(written.ok());
  CHECK(written.error() == file.string() + " exists and is not a directory: choose another --out");
}

}  // namespace sessiongate::certs
