// PlainHttpServer: listen addresses refused with the flag named, real requests served on 127.0.0.1 and ::1 (an
// httplib client, and raw bytes for what a client library would not send), and a stop right after start that is
// never lost.
#include "core/plain_http_server.h"

#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

using sessiongate::PlainHttpServer;

namespace {

struct ListenRow {
  const char* listen;
  const char* error;
};

const ListenRow kBadListens[] = {
    {"8080", "--listen 8080: expected HOST:PORT"},
    {"127.0.0.1:", "--listen 127.0.0.1:: the port is not a number from 0 to 65535"},
    {"127.0.0.1:http", "--listen 127.0.0.1:http: the port is not a number from 0 to 65535"},
    {"127.0.0.1:80x", "--listen 127.0.0.1:80x: the port is not a number from 0 to 65535"},
    {"127.0.0.1:-1", "--listen 127.0.0.1:-1: the port is not a number from 0 to 65535"},
    {"127.0.0.1:65536", "--listen 127.0.0.1:65536: the port is not a number from 0 to 65535"},
    {"192.0.2.1:0", "--listen 192.0.2.1:0: cannot bind (in use, or not a local address)"},
};

}  // namespace

TEST_CASE("PlainHttpServer refuses a listen address it cannot serve on, naming the flag", "[plain_http_server]") {
  for (const ListenRow& row : kBadListens) {
    PlainHttpServer server;
    auto port = server.start("--listen", row.listen);
    INFO(row.listen);
    REQUIRE_FALSE(port);
    CHECK(port.error() == row.error);
  }
}

TEST_CASE("PlainHttpServer serves its routes on the port it returns, IPv4 and IPv6", "[plain_http_server]") {
  for (const char* listen : {"127.0.0.1:0", "[::1]:0"}) {
    PlainHttpServer server;
    server.get("/ping", [](const sessiongate::PlainRequest& request) {
      return sessiongate::PlainResponse{200, "text/plain", "pong" + (request.has("q") ? " " + request.query.at("q") : "")};
    });
    auto port = server.start("--metrics-listen", listen);
    INFO(listen);
    REQUIRE(port);
    std::string host = std::string(listen).front() == '[' ? "::1" : "127.0.0.1";
    httplib::Client client(host, *port);
    auto res = client.Get("/ping");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == "pong");
    CHECK(client.Get("/missing")->status == 404);
    auto query = client.Get("/ping?x=1&q=a%3Ab");
    REQUIRE(query);
    CHECK(query->body == "pong a:b");
    CHECK(client.Get("/ping?q=%zz")->status == 400);
    CHECK(client.Post("/ping", "x", "text/plain")->status == 405);
    auto head = client.Head("/ping");
    REQUIRE(head);
    CHECK(head->status == 200);
    CHECK(head->body.empty());
    CHECK(head->get_header_value("Content-Length") == "4");
  }
}

TEST_CASE("PlainHttpServer answers malformed and oversized requests, and drops a silent client",
          "[plain_http_server]") {
  PlainHttpServer server;
  server.get("/ping", [](const sessiongate::PlainRequest& request) {
    std::string body = "pong";
    for (const auto& [name, value] : request.query) body += " " + name + "=" + value;
    return sessiongate::PlainResponse{200, "text/plain", body};
  });
  auto port = server.start("--listen", "127.0.0.1:0");
  REQUIRE(port);
  // exchange sends raw bytes, half-closes, and reads the whole answer (bounded by the server's own limits).
  auto exchange = [&](const std::string& bytes) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(*port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
    shutdown(fd, SHUT_WR);
    std::string answer;
    char buffer[4096];
    for (ssize_t got; (got = recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, static_cast<std::size_t>(got));
    close(fd);
    return answer;
  };
  struct Row {
    std::string request;
    std::string statusLine;  // "" when the connection is closed without an answer
    std::string body = "";   // checked when not empty
  };
  const std::vector<Row> rows = {
      {"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK", "pong"},
      {"GET /ping HTTP/1.0\n\n", "HTTP/1.1 200 OK", "pong"},
      {"GET /ping?since=2026-12-03T10%3A00%3A00Z&a=b+c&&flag HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK",
       "pong a=b c flag= since=2026-12-03T10:00:00Z"},
      {"HEAD /ping HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK"},
      {"GET /ping?q=%4 HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request"},
      {"GET /nope HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found", "not found: /nope\n"},
      {"garbage\r\n\r\n", "HTTP/1.1 400 Bad Request"},
      {"GET ping HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request"},
      {"GET /ping SPDY/3\r\n\r\n", "HTTP/1.1 400 Bad Request"},
      {"DELETE /ping HTTP/1.1\r\n\r\n", "HTTP/1.1 405 Method Not Allowed"},
      {"GET /ping HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large"},
      {"GET /ping HTTP/1.1\r\nHost: x\r\n", ""},  // half a request, then the client closes
  };
  for (const Row& row : rows) {
    INFO(row.request.substr(0, 40));
    const std::string answer = exchange(row.request);
    CHECK(answer.substr(0, answer.find("\r\n")) == row.statusLine);
    if (!row.statusLine.empty()) CHECK(answer.find("\r\nConnection: close\r\n") != std::string::npos);
    const std::size_t bodyAt = answer.find("\r\n\r\n");
    if (!row.body.empty()) CHECK(answer.substr(bodyAt == std::string::npos ? answer.size() : bodyAt + 4) == row.body);
    if (row.request.rfind("HEAD", 0) == 0) CHECK(answer.substr(bodyAt + 4).empty());
  }
}

TEST_CASE("PlainHttpServer stops when stop comes right after start, and twice", "[plain_http_server]") {
  for (int i = 0; i < 20; ++i) {
    PlainHttpServer server;
    REQUIRE(server.start("--listen", "127.0.0.1:0"));
    server.stop();
    server.stop();
  }
  PlainHttpServer never;
  never.stop();
}
