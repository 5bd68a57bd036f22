// Certificate reloads: the watcher's decisions on changed files, and a live server rotating its
// certificate under load without failing a request.
#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "core/file_text.h"
#include "harness.h"
#include "tls_probe.h"
#include "webhook/server/cert_watcher.h"

using namespace sessiongate::webhook;
using namespace sessiongate::webhook::testing;
namespace fs = std::filesystem;

namespace {

std::string commonNameOf(const CertifiedKey& pair) {
  char cn[256] = "";
  X509_NAME_get_text_by_NID(X509_get_subject_name(pair.leaf), NID_commonName, cn, sizeof(cn));
  return cn;
}

// KubernetesVolume lays out files as the kubelet mounts a Secret: name -> ..data/name, ..data -> a
// timestamped folder, and an update swaps ..data atomically.
struct KubernetesVolume {
  fs::path root;
  int generation = 0;

  void publish(const fs::path& certSource, const fs::path& keySource) {
    auto folder = root / ("..gen_" + std::to_string(++generation));
    fs::create_directories(folder);
    fs::copy_file(certSource, folder / "tls.crt");
    fs::copy_file(keySource, folder / "tls.key");
    fs::create_directory_symlink(folder.filename(), root / "..data_tmp");
    fs::rename(root / "..data_tmp", root / "..data");
    std::error_code ec;
    if (!fs::exists(root / "tls.crt", ec)) {
      fs::create_symlink("..data/tls.crt", root / "tls.crt");
      fs::create_symlink("..data/tls.key", root / "tls.key");
    }
  }
};

}  // namespace

TEST_CASE("the certificate watcher reloads a valid changed pair and keeps the old one otherwise",
          "[server][certwatcher]") {
  auto dir = freshTempDir("certwatcher");
  TestPki pki(dir);
  auto first = pki.issueServing(dir / "a.crt", dir / "a.key", "first");
  auto second = pki.issueServing(dir / "b.crt", dir / "b.key", "second");
  auto third = pki.issueServing(dir / "c.crt", dir / "c.key", "third");

  KubernetesVolume volume{dir / "secret"};
  fs::create_directories(volume.root);
  volume.publish(first.certFile, first.keyFile);

  std::vector<bool> observed;
  auto created = CertWatcher::create(volume.root / "tls.crt", volume.root / "tls.key",
                                     [&](bool ok) { observed.push_back(ok); });
  REQUIRE(created);
  auto& watcher = **created;
  CHECK(commonNameOf(*watcher.current()) == "first");

  struct Step {
    std::string what;
    std::function<void()> change;
    bool reloaded;
    std::string servedCommonName;
  };
  const std::vector<Step> steps = {
      {"nothing changed", [] {}, false, "first"},
      {"the kubelet swaps ..data to a new pair", [&] { volume.publish(second.certFile, second.keyFile); },
       true, "second"},
      {"a key that does not belong to the certificate",
       [&] { volume.publish(third.certFile, first.keyFile); }, false, "second"},
      {"a half-written certificate",
       [&] {
         auto text = sessiongate::fileText(third.certFile).value();
         writeFileAtomically(dir / "half.crt", text.substr(0, text.size() / 2));
         volume.publish(dir / "half.crt", third.keyFile);
       },
       false, "second"},
      {"the failed files unchanged are not retried", [] {}, false, "second"},
      {"the complete pair arrives", [&] { volume.publish(third.certFile, third.keyFile); }, true, "third"},
      {"an empty key file",
       [&] {
         writeFileAtomically(dir / "empty.key", "");
         volume.publish(first.certFile, dir / "empty.key");
       },
       false, "third"},
      {"a missing certificate file", [&] { fs::remove(volume.root / "..data" / "tls.crt"); }, false, "third"},
  };
  for (const auto& step : steps) {
    INFO(step.what);
    step.change();
    CHECK(watcher.checkNow() == step.reloaded);
    CHECK(commonNameOf(*watcher.current()) == step.servedCommonName);
  }
  CHECK(observed == std::vector<bool>{true, false, false, true, false, false});
}

TEST_CASE("a certificate rotated under load fails no request and the new one is served",
          "[server][certwatcher][reload]") {
  TlsFixture tls("reload-traffic");
  RunningServer running(tls.options());
  const auto port = running.port();

  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&, i] {
      auto client = verifyingClient(port, tls.pki.caFile());
      client->set_keep_alive(i % 2 == 0);  // half reuse a connection, half handshake on every request
      while (!stop) {
        auto res = client->Post("/validate", reviewBody("UserSession"), "application/json");
        if (res && res->status == 200) {
          ++answered;
        } else {
          ++failures;
        }
      }
    });
  }

  std::string lastSerial = tls.serving.serialHex;
  const int rotations = 5;
  for (int i = 0; i < rotations; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    // Written key first, then certificate: for a moment the pair on disk does not match.
    auto next =
        tls.pki.issueServing(tls.serving.certFile, tls.serving.keyFile, "webhook-" + std::to_string(i + 2));
    lastSerial = next.serialHex;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  for (auto& t : clients) t.join();

  CHECK(failures == 0);
  CHECK(answered > 20);
  ProbeOptions probe;
  probe.caFile = tls.pki.caFile();
  auto after = probeTls(port, probe);
  REQUIRE(after.ok);
  CHECK(after.peerSerialHex == lastSerial);
  CHECK(after.peerCommonName == "webhook-6");
  auto reloads = running.server().metrics().render();
  CHECK(reloads.find("sessiongate_webhook_certificate_reloads_total 0\n") == std::string::npos);
}

namespace {

// padded puts a comment line before the PEM blocks (PEM readers skip text outside them) so that every
// rotation writes files of exactly size bytes.
std::string padded(const std::string& pem, std::size_t size) {
  REQUIRE(pem.size() + 2 <= size);
  return std::string(size - pem.size() - 1, '#') + "\n" + pem;
}

// rewriteInPlace writes text into the existing file (same inode, same size) and puts its old mtime back.
void rewriteInPlace(const fs::path& path, const std::string& text) {
  auto mtime = fs::last_write_time(path);
  {
    std::ofstream out(path, std::ios::binary | std::ios::in | std::ios::out);
    out.seekp(0);
    out << text;
  }
  fs::last_write_time(path, mtime);
}

}  // namespace

TEST_CASE("certificates rewritten in place with the same size and old mtime under load are served",
          "[server][certwatcher][reload]") {
  constexpr std::size_t kFileSize = 8192;
  TlsFixture tls("reload-in-place");
  auto dir = tls.pki.dir();
  writeFileAtomically(tls.serving.certFile, padded(sessiongate::fileText(tls.serving.certFile).value(), kFileSize));
  writeFileAtomically(tls.serving.keyFile, padded(sessiongate::fileText(tls.serving.keyFile).value(), kFileSize));
  RunningServer running(tls.options());
  const auto port = running.port();

  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&, i] {
      auto client = verifyingClient(port, tls.pki.caFile());
      client->set_keep_alive(i % 2 == 0);
      while (!stop) {
        auto res = client->Post("/validate", reviewBody("UserSession"), "application/json");
        (res && res->status == 200 ? answered : failures)++;
      }
    });
  }

  std::string lastSerial;
  const int rotations = 5;
  ProbeOptions probe;
  probe.caFile = tls.pki.caFile();
  for (int i = 0; i < rotations; ++i) {
    auto next = tls.pki.issueServing(dir / "next.crt", dir / "next.key", "in-place-" + std::to_string(i));
    // Key first, then certificate, each written in place: for a moment the pair on disk does not match,
    // and a reader can see a torn file.
    rewriteInPlace(tls.serving.keyFile, padded(sessiongate::fileText(next.keyFile).value(), kFileSize));
    rewriteInPlace(tls.serving.certFile, padded(sessiongate::fileText(next.certFile).value(), kFileSize));
    lastSerial = next.serialHex;
    // Each rotation is served before the next (polls every 50 ms; a rehash at least every 10 polls).
    bool served = false;
    for (int attempt = 0; attempt < 200 && !served; ++attempt) {
      served = probeTls(port, probe).peerSerialHex == lastSerial;
      if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(served);
  }
  stop = true;
  for (auto& t : clients) t.join();
  CHECK(failures == 0);
  CHECK(answered > 0);
  std::printf("certificate rotation in place: %d rotations, %d requests answered, %d failed\n", rotations,
              answered.load(), failures.load());
}
