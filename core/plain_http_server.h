#pragma once
// PlainHttpServer is a binary's plain-HTTP endpoint (the controller's /metrics and probes, the tracker's
// /metrics and /activity): routes on an httplib::Server, served on a thread of its own between start and stop.
#include <memory>
#include <string>
#include <thread>

#include "core/result.h"

namespace httplib {
class Server;
}

namespace sessiongate {

class PlainHttpServer {
 public:
  PlainHttpServer();
  ~PlainHttpServer();
  PlainHttpServer(const PlainHttpServer&) = delete;
  PlainHttpServer& operator=(const PlainHttpServer&) = delete;

  // routes is where the owner registers its handlers, before start.
  httplib::Server& routes() { return *server_; }
  // start binds listen ("host:port", "[::1]:port"; port 0 picks one) and returns the bound port once the
  // server is running, so a stop right after start is never lost. flag names the option listen came from, so
  // the error says which one to fix.
  Result<int> start(const std::string& flag, const std::string& listen);
  // stop ends serving and joins the thread; safe to call twice and without start.
  void stop();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace sessiongate
