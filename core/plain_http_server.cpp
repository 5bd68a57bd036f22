#include "core/plain_http_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <exception>
#include <list>
#include <optional>
#include <string_view>
#include <vector>

namespace sessiongate {

namespace {

using SteadyTime = Clock::TimePoint;

constexpr std::size_t kMaxHead = 8 * 1024;
constexpr std::size_t kMaxConnections = 64;
constexpr std::chrono::seconds kConnectionTime{10};

const char* reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 431:
      return "Request Header Fields Too Large";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Internal Server Error" : "Error";
  }
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// decode undoes percent-encoding and '+' for a space (form encoding, as query strings use); nullopt for a
// broken escape.
std::optional<std::string> decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hexValue(text[i + 1]);
      const int low = hexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::optional<std::map<std::string, std::string>> parseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto name = decode(pair.substr(0, eq));
    auto value = decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!name || !value) return std::nullopt;
    out[*name] = *value;
  }
  return out;
}

std::string renderResponse(const PlainResponse& response, bool withBody) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + reasonPhrase(response.status) +
                    "\r\nContent-Type: " + response.contentType +
                    "\r\nContent-Length: " + std::to_string(response.body.size());
  if (response.status == 405) out += "\r\nAllow: GET, HEAD";
  out += "\r\nConnection: close\r\n\r\n";
  if (withBody) out += response.body;
  return out;
}

PlainResponse plain(int status, std::string body) {
  return PlainResponse{status, "text/plain", std::move(body)};
}

struct Connection {
  int fd = -1;
  SteadyTime deadline;
  std::string in;
  std::string out;
  std::size_t sent = 0;
  bool answered = false;
};

}  // namespace

// Loop owns the sockets and runs the poll loop on the server's thread.
struct PlainHttpServer::Loop {
  int listenFd = -1;
  int wakeFd = -1;
  const std::map<std::string, PlainHandler>* routes = nullptr;
  const Clock* clock = nullptr;
  std::list<Connection> connections;

  ~Loop() {
    for (Connection& c : connections) close(c.fd);
    if (listenFd >= 0) close(listenFd);
    if (wakeFd >= 0) close(wakeFd);
  }

  PlainResponse dispatch(std::string_view head, bool& withBody) const {
    const std::size_t lineEnd = head.find_first_of("\r\n");
    std::string_view line = head.substr(0, lineEnd);
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.substr(sp2 + 1).rfind("HTTP/1.", 0) != 0)
      return plain(400, "expected a request line: METHOD /path HTTP/1.1\n");
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (target.empty() || target.front() != '/') return plain(400, "expected a path starting with /\n");
    if (method != "GET" && method != "HEAD") return plain(405, "only GET and HEAD are served\n");
    withBody = method == "GET";
    const std::size_t question = target.find('?');
    PlainRequest request;
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) {
      auto query = parseQuery(target.substr(question + 1));
      if (!query) return plain(400, "the query string has a broken %-escape\n");
      request.query = std::move(*query);
    }
    auto route = routes->find(request.path);
    if (route == routes->end()) return plain(404, "not found: " + request.path + "\n");
    try {
      return route->second(request);
    } catch (const std::exception& e) {
      return plain(500, std::string("internal error: ") + e.what() + "\n");
    }
  }

  // readFrom reads what arrived; once the head is complete, the answer is queued.
  void readFrom(Connection& c) {
    char buffer[4096];
    bool peerDone = false;
    for (;;) {
      const ssize_t got = recv(c.fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (got > 0) {
        c.in.append(buffer, static_cast<std::size_t>(got));
        if (c.in.size() > kMaxHead) break;
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      peerDone = got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
      break;
    }
    std::size_t end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) end = c.in.find("\n\n");
    bool withBody = true;
    if (end != std::string::npos && end <= kMaxHead) {
      const PlainResponse response = dispatch(std::string_view(c.in).substr(0, end), withBody);
      c.out = renderResponse(response, withBody);
      c.answered = true;
    } else if (c.in.size() > kMaxHead) {
      c.out = renderResponse(plain(431, "the request head is larger than 8 KiB\n"), true);
      c.answered = true;
    } else if (peerDone) {
      c.answered = true;  // the peer went away before a whole request: nothing to answer
    }
  }

  // writeTo sends what it can; true when everything was sent (or the peer is gone).
  static bool writeTo(Connection& c) {
    while (c.sent < c.out.size()) {
      const ssize_t put = send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (put > 0) {
        c.sent += static_cast<std::size_t>(put);
        continue;
      }
      if (put < 0 && errno == EINTR) continue;
      if (put < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
      return true;
    }
    return true;
  }

  void acceptAll() {
    for (;;) {
      const int fd = accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      if (connections.size() >= kMaxConnections) {
        close(fd);
        continue;
      }
      connections.push_back(Connection{fd, clock->now() + kConnectionTime, {}, {}, 0, false});
    }
  }

  void run() {
    std::vector<pollfd> fds;
    std::vector<Connection*> polled;
    for (;;) {
      fds.assign({{wakeFd, POLLIN, 0}, {listenFd, POLLIN, 0}});
      polled.clear();
      const SteadyTime now = clock->now();
      int timeout = -1;
      for (auto it = connections.begin(); it != connections.end();) {
        if (it->deadline <= now) {  // too slow a client: dropped
          close(it->fd);
          it = connections.erase(it);
          continue;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(it->deadline - now).count() + 1;
        if (timeout < 0 || left < timeout) timeout = static_cast<int>(left);
        fds.push_back({it->fd, static_cast<short>(it->answered ? POLLOUT : POLLIN), 0});
        polled.push_back(&*it);
        ++it;
      }
      if (poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) return;
      if (fds[0].revents) return;  // stop
      for (std::size_t i = 0; i < polled.size(); ++i) {
        Connection& c = *polled[i];
        const short events = fds[i + 2].revents;
        if (!events) continue;
        if (!c.answered) readFrom(c);
        if (c.answered && writeTo(c)) {
          shutdown(c.fd, SHUT_WR);
          close(c.fd);
          c.fd = -1;
        }
      }
      connections.remove_if([](const Connection& c) { return c.fd < 0; });
      if (fds[1].revents & POLLIN) acceptAll();
    }
  }
};

PlainHttpServer::PlainHttpServer(const Clock& clock) : clock_(clock) {}

PlainHttpServer::~PlainHttpServer() {
  stop();
}

void PlainHttpServer::get(const std::string& path, PlainHandler handler) {
  routes_[path] = std::move(handler);
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
  const Error cannotBind{flag + " " + listen + ": cannot bind (in use, or not a local address)"};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found) != 0 || !found)
    return Error{flag + " " + listen + ": cannot resolve the host"};
  auto loop = std::make_unique<Loop>();
  loop->clock = &clock_;
  loop->routes = &routes_;
  for (addrinfo* a = found; a && loop->listenFd < 0; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 128) == 0) {
      loop->listenFd = fd;
    } else {
      close(fd);
    }
  }
  freeaddrinfo(found);
  if (loop->listenFd < 0) return cannotBind;
  sockaddr_storage bound{};
  socklen_t size = sizeof bound;
  if (getsockname(loop->listenFd, reinterpret_cast<sockaddr*>(&bound), &size) != 0) return cannotBind;
  const int boundPort = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                          : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  loop->wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (loop->wakeFd < 0) return Error{flag + " " + listen + ": cannot create an eventfd"};
  loop_ = std::move(loop);
  thread_ = std::thread([loop = loop_.get()] { loop->run(); });
  return boundPort;
}

void PlainHttpServer::stop() {
  if (!loop_) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = write(loop_->wakeFd, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  loop_.reset();
}

}  // namespace sessiongate
