// PlainHttpServer: listen addresses refused with the flag named, a real request served on 127.0.0.1, and a stop
// right after start that is never lost.
#include "core/plain_http_server.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <string>

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
    server.routes().Get("/ping", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("pong", "text/plain");
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
