// sessiongatectl certs: the four files with their modes, a serving certificate for the service, and usage
// errors for bad flags.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "certs/pem.h"
#include "core/file_text.h"
#include "run_command.h"

namespace sessiongate::cli {
namespace {

namespace fs = std::filesystem;

fs::path makeTempDir() {
  std::string pattern = (fs::temp_directory_path() / "sessiongatectl-certs-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

unsigned modeOf(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

}  // namespace

TEST_CASE("certs writes the CA and a serving certificate for the service", "[cli][certs]") {
  fs::path temp = makeTempDir();
  fs::path out = temp / "tls";
  CommandRun run = runCommand({"certs", "--service", "sessiongate-webhook", "--namespace",
                               "sessiongate-system", "--out", out.string(), "--days", "30"});
  REQUIRE(run.code == kExitOk);
  CHECK(run.err.empty());
  CHECK(run.out ==
        "wrote " + (out / "ca.crt").string() + "\nwrote " + (out / "ca.key").string() + "\nwrote " +
            (out / "tls.crt").string() + "\nwrote " + (out / "tls.key").string() +
            "\nserving certificate for sessiongate-webhook.sessiongate-system.svc, valid 30 days; use "
            "ca.crt as the webhook configurations' caBundle\n");
  CHECK(modeOf(out) == 0700);
  CHECK(modeOf(out / "tls.key") == 0600);
  CHECK(modeOf(out / "ca.key") == 0600);
  CHECK(modeOf(out / "tls.crt") == 0644);

  auto tls = certs::certificateFromPem(fileText(out / "tls.crt").value(), "tls.crt");
  auto key = certs::privateKeyFromPem(fileText(out / "tls.key").value(), "tls.key");
  REQUIRE(tls.ok());
  REQUIRE(key.ok());
  CHECK(X509_check_private_key(tls->get(), key->get()) == 1);
  CHECK(X509_check_host(tls->get(), "sessiongate-webhook.sessiongate-system.svc", 0, 0, nullptr) == 1);
  int days = 0;
  int seconds = 0;
  REQUIRE(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(tls->get()), X509_get0_notAfter(tls->get())) ==
          1);
  CHECK(days == 30);
  fs::remove_all(temp);
}

TEST_CASE("certs refuses bad flags with exit 2", "[cli][certs]") {
  struct Case {
    std::vector<std::string> args;
    std::string errPrefix;
  };
  const Case cases[] = {
      {{"certs", "--service", "hook", "--namespace", "infra"},
       "sessiongatectl certs: missing required flag --out DIR\n"},
      {{"certs", "--service", "hook", "--namespace", "infra", "--out", "/tmp/x", "--days", "ten"},
       "sessiongatectl certs: --days must be a whole number of days, got \"ten\"\n"},
      {{"certs", "--service", "Hook", "--namespace", "infra", "--out", "/tmp/x"},
       "sessiongatectl certs: service name \"Hook\" is not a DNS label"},
      {{"certs", "--service", "hook", "--namespace", "infra", "--out", "/tmp/x", "--days", "0"},
       "sessiongatectl certs: validity must be between 1 and 36500 days, got 0\n"},
      {{"certs", "--service", "hook", "--service", "hook2"},
       "sessiongatectl certs: flag --service given twice\n"},
  };
  for (const Case& c : cases) {
    CommandRun run = runCommand(c.args);
    INFO(run.err);
    CHECK(run.code == kExitUsage);
    CHECK(run.out.empty());
    CHECK(run.err.rfind(c.errPrefix, 0) == 0);
  }
}

}  // namespace sessiongate::cli
