#pragma once
// PlainHttpServer is a binary's plain-HTTP endpoint (the controller's /metrics and probes, the tracker's
// /metrics and /activity): GET (and HEAD) routes by exact path, served by one thread of its own between start
// and stop, one request per connection (Connection: close). Written on POSIX sockets rather than on
// cpp-httplib: Debian's libcpp-httplib is built with OpenSSL, brotli and zlib and initialises OpenSSL when it
// is loaded, which alone costs about 6 MB of resident memory, more than half the tracker's 10 MB budget, for
// endpoints that never speak TLS. Bounded: a request head of at most 8 KiB, 64 connections, 10 s per
// connection.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/result.h"

namespace sessiongate {

// PlainRequest is what a handler sees: the path and the decoded query parameters (the last of a repeated
// name wins).
struct PlainRequest {
  std::string path;
  std::map<std::string, std::string> query;

  bool has(const std::string& name) const { return query.count(name) != 0; }
};

// PlainResponse is what a handler answers.
struct PlainResponse {
  int status = 200;
  std::string contentType = "text/plain";
  std::string body;
};

// PlainHandler answers one request; it runs on the server's thread.
using PlainHandler = std::function<PlainResponse(const PlainRequest&)>;

class PlainHttpServer {
 public:
  // clock sets the per-connection deadlines.
  explicit PlainHttpServer(const Clock& clock = realClock());
  ~PlainHttpServer();
  PlainHttpServer(const PlainHttpServer&) = delete;
  PlainHttpServer& operator=(const PlainHttpServer&) = delete;

  // get registers the handler of GET (and HEAD) path, before start.
  void get(const std::string& path, PlainHandler handler);
  // start binds listen ("host:port", "[::1]:port"; port 0 picks one) and returns the bound port once the
  // server is serving. flag names the option listen came from, so the error says which one to fix.
  Result<int> start(const std::string& flag, const std::string& listen);
  // stop ends serving and joins the thread; safe to call twice and without start.
  void stop();

 private:
  struct Loop;
  const Clock& clock_;
  std::map<std::string, PlainHandler> routes_;
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
};

}  // namespace sessiongate
