#include "core/plain_http_server.h"

#include <httplib.h>

#include <charconv>
#include <chrono>

namespace sessiongate {

PlainHttpServer::PlainHttpServer() : server_(std::make_unique<httplib::Server>()) {}

PlainHttpServer::~PlainHttpServer() {
  stop();
}

Result<int> PlainHttpServer::start(const std::string& flag, const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return Error{flag + " " + listen + ": expected HOST:PORT"};
  std::string host = listen.substr(0, colon);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string_view portText = std::string_view(listen).substr(colon + 1);
  int port = -1;
  auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
  if (portText.empty() || ec != std::errc() || end != portText.data() + portText.size() || port < 0 ||
      port > 65535) {
    return Error{flag + " " + listen + ": the port is not a number from 0 to 65535"};
  }
  if (port == 0) {
    port = server_->bind_to_any_port(host);
  } else if (!server_->bind_to_port(host, port)) {
    port = -1;
  }
  if (port < 0) return Error{flag + " " + listen + ": cannot bind (in use, or not a local address)"};
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib's stop() is lost when it comes before the listen loop starts (the loop would then run on and
  // stop() would wait for it forever), so return only once the server is running.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return port;
}

void PlainHttpServer::stop() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sessiongate
