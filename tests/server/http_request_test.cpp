// The request head parser and the chunked decoder, checked exactly against their fixture tables
// (http_request_cases.h): each case whole, and the same input arriving a byte at a time as the event loop
// sees a slow client.
#include <catch2/catch.hpp>

#include "http_request_cases.h"
#include "webhook/server/http_response.h"

using namespace sessiongate::webhook;
using namespace sessiongate::webhook::testing;

namespace {

// parseByteByByte calls the parser on each longer prefix, as the loop does, until it is no longer
// incomplete.
HeadParse parseByteByByte(const std::string& input) {
  HeadParse parse;
  std::size_t scanned = 0;
  for (std::size_t n = 0; n <= input.size(); ++n) {
    parse = parseRequestHead(std::string_view(input).substr(0, n), kCaseMaxHeadBytes, kCaseMaxBodyBytes, scanned);
    if (parse.status != HeadParse::Status::Incomplete) break;
    scanned = n;
  }
  return parse;
}

}  // namespace

TEST_CASE("request heads: the parser's answer to each fixture, whole and a byte at a time", "[server][parser]") {
  for (const auto& c : headCases()) {
    INFO(c.what);
    for (bool trickle : {false, true}) {
      INFO((trickle ? "a byte at a time" : "whole"));
      auto parse = trickle ? parseByteByByte(c.input)
                           : parseRequestHead(c.input, kCaseMaxHeadBytes, kCaseMaxBodyBytes);
      REQUIRE(parse.status == c.status);
      if (c.status == HeadParse::Status::Refused) {
        CHECK(parse.refusal.status == c.refusalStatus);
        CHECK(parse.refusal.message == c.message);
      } else if (c.status == HeadParse::Status::Complete) {
        CHECK(parse.head.method == c.method);
        CHECK(parse.head.path == c.path);
        CHECK(parse.head.keepAlive == c.keepAlive);
        CHECK(parse.head.chunked == c.chunked);
        CHECK(parse.head.contentLength == c.contentLength);
        CHECK(parse.headBytes == (c.headBytes == 0 ? c.input.size() : c.headBytes));
      }
    }
  }
}

TEST_CASE("request heads: each refusal names its reason for the metrics", "[server][parser]") {
  auto reasonOf = [](const std::string& input) {
    return parseRequestHead(input, kCaseMaxHeadBytes, kCaseMaxBodyBytes).refusal.reason;
  };
  CHECK(reasonOf("GET / HTTP/1.1\r\n" + std::string(2000, 'a')) == RefusalReason::HeadTooLarge);
  CHECK(reasonOf("POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: br\r\n\r\n") == RefusalReason::ContentEncoding);
  CHECK(reasonOf("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n") == RefusalReason::TransferEncoding);
  CHECK(reasonOf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n") == RefusalReason::BodyTooLarge);
  CHECK(reasonOf("HELLO\r\n\r\n") == RefusalReason::BadRequest);
}

TEST_CASE("request heads: headers keep their order, names as sent, values trimmed", "[server][parser]") {
  auto parse = parseRequestHead("POST /mutate?x=1 HTTP/1.1\r\nHost: a\r\ncontent-TYPE:  application/json \r\nX-E:\r\n\r\n",
                                kCaseMaxHeadBytes, kCaseMaxBodyBytes);
  REQUIRE(parse.status == HeadParse::Status::Complete);
  CHECK(parse.head.target == "/mutate?x=1");
  CHECK(parse.head.path == "/mutate");
  REQUIRE(parse.head.headers.size() == 3);
  CHECK(parse.head.headers[1].first == "content-TYPE");
  CHECK(parse.head.header("Content-Type") == "application/json");
  CHECK(parse.head.header("x-e") == "");
  CHECK_FALSE(parse.head.header("Accept"));
}

TEST_CASE("chunked bodies: the decoder's answer to each fixture, whole and a byte at a time", "[server][parser]") {
  for (const auto& c : chunkedCases()) {
    INFO(c.what);
    {
      ChunkedBody decoder;
      std::string body;
      std::size_t consumed = 0;
      auto status = decoder.feed(c.input, body, consumed);
      CHECK(status == c.status);
      CHECK(body == c.body);
      if (c.status == ChunkedBody::Status::Done) CHECK(consumed == c.consumed);
      if (c.status == ChunkedBody::Status::NeedMore) CHECK(consumed == c.input.size());
    }
    {
      ChunkedBody decoder;
      std::string body;
      auto status = ChunkedBody::Status::NeedMore;
      std::size_t used = 0;
      for (std::size_t i = 0; i < c.input.size() && status == ChunkedBody::Status::NeedMore; ++i) {
        std::size_t consumed = 0;
        status = decoder.feed(std::string_view(c.input).substr(i, 1), body, consumed);
        used += consumed;
      }
      CHECK(status == c.status);
      CHECK(body == c.body);
      if (c.status == ChunkedBody::Status::Done) CHECK(used == c.consumed);
    }
  }
}

TEST_CASE("answers: status line, framing and the connection's fate", "[server][parser]") {
  CHECK(serializeResponse({200, "application/json", R"({"a":1})"}, false) ==
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\nConnection: keep-alive\r\n\r\n"
        R"({"a":1})");
  CHECK(serializeResponse({413, "text/plain; charset=utf-8", "too big\n"}, true) ==
        "HTTP/1.1 413 Payload Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 8\r\n"
        "Connection: close\r\n\r\ntoo big\n");
  CHECK(std::string(reasonPhrase(431)) == "Request Header Fields Too Large");
  CHECK(std::string(reasonPhrase(505)) == "HTTP Version Not Supported");
}
