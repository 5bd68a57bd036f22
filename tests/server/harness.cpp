#include "harness.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace sessiongate::webhook::testing {

ReviewAnswer testReviewHandler(Endpoint endpoint, std::string_view body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded()) return {400, kMalformedReviewMessage, "unknown", "error"};
  std::string kind = json.value("/request/kind/kind"_json_pointer, std::string("unknown"));
  if (kind == "Slow") std::this_thread::sleep_for(std::chrono::milliseconds(300));
  return {200, R"({"allowed":true})", kind, endpoint == Endpoint::Mutate ? "patched" : "allowed"};
}

std::string reviewBody(const std::string& kind) {
  return R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1","kind":{"kind":")" +
         kind + R"("}}})";
}

RunningServer::RunningServer(ServerOptions options, ReviewHandler handler, ReadinessCheck ready) {
  auto created = WebhookServer::create(std::move(options), std::move(handler), std::move(ready));
  if (!created) throw std::runtime_error(created.error());
  server_ = std::move(*created);
  thread_ = std::thread([this] { server_->serve(); });
}

RunningServer::~RunningServer() {
  stop();
}

bool RunningServer::stop(std::chrono::milliseconds timeout) {
  if (!thread_.joinable()) return true;
  bool drained = server_->shutdown(timeout);
  thread_.join();
  return drained;
}

TlsFixture::TlsFixture(const std::string& name)
    : pki(freshTempDir(name)),
      serving(pki.issueServing(pki.dir() / "tls.crt", pki.dir() / "tls.key", "webhook-1")) {}

ServerOptions TlsFixture::options() const {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.certFile = serving.certFile;
  options.keyFile = serving.keyFile;
  options.certPollInterval = std::chrono::milliseconds(50);
  return options;
}

std::unique_ptr<httplib::SSLClient> verifyingClient(int port, const std::filesystem::path& caFile) {
  auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
  client->set_ca_cert_path(caFile.string());
  client->enable_server_certificate_verification(true);
  client->set_keep_alive(true);
  client->set_connection_timeout(5);
  client->set_read_timeout(10);
  return client;
}

}  // namespace sessiongate::webhook::testing
