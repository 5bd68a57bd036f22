#include "fake_api_server.h"

#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sessiongate::kube::testing {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(SESSIONGATE_FIXTURES) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

FakeApiServer::FakeApiServer() : server_(std::make_unique<httplib::Server>()) {
  start();
}

FakeApiServer::FakeApiServer(X509* cert, EVP_PKEY* key, X509_STORE* clientCa)
    : server_(std::make_unique<httplib::SSLServer>(cert, key, clientCa)), tls_(true) {
  start();
}

void FakeApiServer::start() {
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up mid-stream must not kill the test
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Patch(".*", handler);
  server_->Delete(".*", handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

FakeApiServer::~FakeApiServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

void FakeApiServer::on(const std::string& method, const std::string& path,
                       std::vector<CannedResponse> responses) {
  std::lock_guard<std::mutex> lock(mu_);
  routes_[method + " " + path] = std::move(responses);
}

std::vector<RecordedRequest> FakeApiServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<RecordedRequest> FakeApiServer::requests(const std::string& method,
                                                     const std::string& path) const {
  std::vector<RecordedRequest> out;
  for (auto& r : requests()) {
    if (r.method == method && r.path == path) out.push_back(r);
  }
  return out;
}

std::string FakeApiServer::url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void FakeApiServer::handle(const httplib::Request& req, httplib::Response& res) {
  // A watch shares its path with the list; route it as its own pseudo-method.
  std::string method = req.method == "GET" && req.get_param_value("watch") == "true" ? "WATCH" : req.method;
  RecordedRequest recorded{
      method,   req.path, "", req.get_header_value("Content-Type"), req.get_header_value("Authorization"),
      req.body, ""};
  if (auto q = req.target.find('?'); q != std::string::npos) recorded.query = req.target.substr(q + 1);
  if (req.ssl) {
    if (X509* peer = SSL_get1_peer_certificate(req.ssl)) {
      char cn[256] = {0};
      X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof(cn));
      recorded.clientCertCn = cn;
      X509_free(peer);
    }
  }
  CannedResponse canned;
  bool found = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(recorded);
    auto it = routes_.find(method + " " + req.path);
    if (it != routes_.end() && !it->second.empty()) {
      std::size_t n = served_[it->first]++;
      canned = it->second[std::min(n, it->second.size() - 1)];
      found = true;
    }
  }
  if (!found) {
    res.status = 404;
    res.set_content("404 page not found\n", "text/plain; charset=utf-8");
    return;
  }
  if (canned.beforeSend) canned.beforeSend();
  res.status = canned.status;
  if (canned.chunkSize == 0) {
    res.set_content(canned.body, "application/json");
    return;
  }
  auto body = std::make_shared<std::string>(canned.body);
  std::size_t chunk = canned.chunkSize;
  CannedResponse::End end = canned.end;
  res.set_chunked_content_provider(
      "application/json", [body, chunk, end](size_t offset, httplib::DataSink& sink) {
        if (offset < body->size()) {
          std::size_t n = std::min(chunk, body->size() - offset);
          sink.write(body->data() + offset, n);
          std::this_thread::sleep_for(std::chrono::milliseconds(1));  // so the client sees separate reads
          return true;
        }
        switch (end) {
          case CannedResponse::End::Complete:
            sink.done();
            return true;
          case CannedResponse::End::Abort:
            return false;
          case CannedResponse::End::Hang:
            // A quiet watch: nothing to send; called again until the server stops or the client goes away.
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            return sink.is_writable();
        }
        return false;
      });
}

}  // namespace sessiongate::kube::testing
