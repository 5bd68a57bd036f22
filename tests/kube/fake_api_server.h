#pragma once
// FakeApiServer is a local HTTP (or HTTPS) server on 127.0.0.1 and an OS-chosen port that answers API paths
// with recorded kube-apiserver responses from tests/kube/fixtures and records every request it gets.
#include <httplib.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fixture.h"

namespace sessiongate::kube::testing {

// RecordedRequest is what the server received.
struct RecordedRequest {
  std::string method;  // WATCH for a GET with watch=true
  std::string path;    // without the query
  std::string query;   // raw, after '?'
  std::string contentType;
  std::string authorization;
  std::string body;
  std::string clientCertCn;  // HTTPS only: CN of the client certificate presented
};

// CannedResponse is one answer; a streamed body is sent in chunkSize pieces and then ends as `end` says.
struct CannedResponse {
  enum class End { Complete, Abort, Hang };
  CannedResponse() = default;
  CannedResponse(int code, std::string text, std::size_t chunk = 0, End ending = End::Complete)
      : status(code), body(std::move(text)), chunkSize(chunk), end(ending) {}

  int status = 200;
  std::string body;
  std::size_t chunkSize = 0;  // 0: one plain (non-chunked) body
  End end = End::Complete;
  std::function<void()> beforeSend;  // runs when the request arrives (e.g. to move a fake clock)
};

// FakeApiServer serves, for each method and path, its responses in order, repeating the last one. A GET with
// watch=true is routed and recorded under the method "WATCH".
class FakeApiServer {
 public:
  FakeApiServer();                                                 // plain HTTP
  FakeApiServer(X509* cert, EVP_PKEY* key, X509_STORE* clientCa);  // HTTPS; takes ownership of clientCa
  ~FakeApiServer();

  void on(const std::string& method, const std::string& path, std::vector<CannedResponse> responses);
  std::vector<RecordedRequest> requests() const;
  std::vector<RecordedRequest> requests(const std::string& method, const std::string& path) const;
  std::string url() const;

 private:
  void start();
  void handle(const httplib::Request& req, httplib::Response& res);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  bool tls_ = false;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<CannedResponse>> routes_;
  std::map<std::string, std::size_t> served_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace sessiongate::kube::testing
