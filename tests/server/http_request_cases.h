#pragma once
// The request head parser's and chunked decoder's fixture tables: the unit tests check each exactly, and
// fuzz/http_request_seeds writes them as the seed corpus of the http_request fuzzer.
#include <cstddef>
#include <string>
#include <vector>

#include "webhook/server/chunked_body.h"
#include "webhook/server/http_request.h"

namespace sessiongate::webhook::testing {

// The bounds the tables are written for.
inline constexpr std::size_t kCaseMaxHeadBytes = 1024;
inline constexpr std::size_t kCaseMaxBodyBytes = 4096;

struct HeadCase {
  std::string what;
  std::string input;
  HeadParse::Status status;
  int refusalStatus = 0;      // Refused
  std::string message;        // Refused
  std::string method;         // Complete
  std::string path;           // Complete
  bool keepAlive = true;      // Complete
  bool chunked = false;       // Complete
  std::size_t contentLength = 0;
  std::size_t headBytes = 0;  // Complete; 0 means the whole input
};

inline const std::vector<HeadCase>& headCases() {
  using S = HeadParse::Status;
  static const std::string apiServer =
      "POST /validate?timeout=10s HTTP/1.1\r\nHost: sessiongate-webhook.sessiongate-system.svc:443\r\n"
      "User-Agent: kube-apiserver-admission\r\nContent-Length: 1234\r\nAccept: application/json, */*\r\n"
      "Content-Type: application/json\r\nAccept-Encoding: gzip\r\n\r\n";
  static const std::string filler = "X-Filler: " + std::string(1000, 'a') + "\r\n";
  static const std::vector<HeadCase> cases = {
      {"the API server's review", apiServer, S::Complete, 0, "", "POST", "/validate", true, false, 1234, 0},
      {"a probe, with the next request pipelined behind it",
       "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\n", S::Complete, 0, "", "GET", "/healthz",
       true, false, 0, 34},
      {"Connection: close", "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", S::Complete, 0, "",
       "GET", "/metrics", false, false, 0, 0},
      {"Connection tokens in any case, close among them",
       "GET / HTTP/1.1\r\nHost: x\r\nconnection: Keep-Alive, CLOSE\r\n\r\n", S::Complete, 0, "", "GET", "/", false, false, 0, 0},
      {"HTTP/1.0 closes by default and needs no Host", "GET /healthz HTTP/1.0\r\n\r\n", S::Complete, 0, "", "GET",
       "/healthz", false, false, 0, 0},
      {"HTTP/1.0 with keep-alive", "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", S::Complete, 0, "",
       "GET", "/healthz", true, false, 0, 0},
      {"chunked, in any letter case", "POST /mutate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n",
       S::Complete, 0, "", "POST", "/mutate", true, true, 0, 0},
      {"identity content encoding and spaces around values",
       "POST /mutate HTTP/1.1\r\nHost:x\r\nContent-Encoding:  identity \t\r\nContent-Length:\t4096\r\n\r\n",
       S::Complete, 0, "", "POST", "/mutate", true, false, 4096, 0},
      {"a head still arriving", "POST /validate HTTP/1.1\r\nHost: x\r\n", S::Incomplete, 0, "", "", "", true, false, 0, 0},
      {"nothing yet", "", S::Incomplete, 0, "", "", "", true, false, 0, 0},
      {"a head that reaches the bound without ending", "GET / HTTP/1.1\r\n" + filler, S::Refused, 431,
       "request line and headers are larger than 1024 bytes; the webhook does not accept them\n", "", "", true, false, 0, 0},
      {"a head that ends past the bound", "GET / HTTP/1.1\r\nHost: x\r\n" + filler + "\r\n", S::Refused, 431,
       "request line and headers are larger than 1024 bytes; the webhook does not accept them\n", "", "", true, false, 0, 0},
      {"not HTTP", "HELLO\r\n\r\n", S::Refused, 400,
       "malformed request line \"HELLO\": expected METHOD /path HTTP/1.1\n", "", "", true, false, 0, 0},
      {"a space in the target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", S::Refused, 400,
       "malformed request line \"GET /a b HTTP/1.1\": expected METHOD /path HTTP/1.1\n", "", "", true, false, 0, 0},
      {"a method that is not a token", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", S::Refused, 400,
       "malformed request line \"G(T / HTTP/1.1\": expected METHOD /path HTTP/1.1\n", "", "", true, false, 0, 0},
      {"a version that is not HTTP/d.d", "GET / HTTP/1.10\r\nHost: x\r\n\r\n", S::Refused, 400,
       "malformed request line \"GET / HTTP/1.10\": expected METHOD /path HTTP/1.1\n", "", "", true, false, 0, 0},
      {"HTTP/2 in an HTTP/1 request line", "GET / HTTP/2.0\r\n\r\n", S::Refused, 505,
       "HTTP version \"HTTP/2.0\" is not supported: send HTTP/1.1\n", "", "", true, false, 0, 0},
      {"an absolute URL as target", "GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", S::Refused, 400,
       "request target \"http://x/\" is not a path: send e.g. POST /validate\n", "", "", true, false, 0, 0},
      {"bare line feeds, refused before the head ends", "GET / HTTP/1.1\nHost: x\n", S::Refused, 400,
       "a line of the request head does not end with CRLF\n", "", "", true, false, 0, 0},
      {"a bare line feed inside a complete head", "GET / HTTP/1.1\r\nA: b\nC: d\r\n\r\n", S::Refused, 400,
       "a line of the request head does not end with CRLF\n", "", "", true, false, 0, 0},
      {"a bare carriage return inside a header", "GET / HTTP/1.1\r\nHost: x\rY\r\n\r\n", S::Refused, 400,
       "a line of the request head does not end with CRLF\n", "", "", true, false, 0, 0},
      {"folded header lines", "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", S::Refused, 400,
       "header line folding (a line starting with a space or tab) is not accepted\n", "", "", true, false, 0, 0},
      {"a space before the colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", S::Refused, 400,
       "malformed header line \"Host : x\": expected Name: value\n", "", "", true, false, 0, 0},
      {"a header line without a colon", "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", S::Refused, 400,
       "malformed header line \"NoColon\": expected Name: value\n", "", "", true, false, 0, 0},
      {"a control character in a value", std::string("GET / HTTP/1.1\r\nHost: x\r\nX: a\x01" "b\r\n\r\n"),
       S::Refused, 400, "header \"X\" has a control character in its value\n", "", "", true, false, 0, 0},
      {"HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", S::Refused, 400,
       "an HTTP/1.1 request needs a Host header\n", "", "", true, false, 0, 0},
      {"gzip content encoding", "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\n",
       S::Refused, 415, "Content-Encoding \"gzip\" is not accepted: send the AdmissionReview uncompressed\n", "", "", true, false, 0, 0},
      {"a transfer coding other than chunked",
       "POST /mutate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", S::Refused, 501,
       "Transfer-Encoding \"gzip, chunked\" is not supported: send the body with a Content-Length\n", "", "", true, false, 0, 0},
      {"chunked and Content-Length",
       "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", S::Refused,
       400, "both Transfer-Encoding and Content-Length are set: send only a Content-Length\n", "", "", true, false, 0, 0},
      {"two Content-Lengths", "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
       S::Refused, 400, "more than one Content-Length header\n", "", "", true, false, 0, 0},
      {"a Content-Length with letters", "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Length: 12ab\r\n\r\n",
       S::Refused, 400, "Content-Length \"12ab\" is not a number of bytes\n", "", "", true, false, 0, 0},
      {"a signed Content-Length", "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n", S::Refused, 400,
       "Content-Length \"+5\" is not a number of bytes\n", "", "", true, false, 0, 0},
      {"an empty Content-Length", "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n", S::Refused, 400,
       "Content-Length \"\" is not a number of bytes\n", "", "", true, false, 0, 0},
      {"a Content-Length one over the bound", "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Length: 4097\r\n\r\n",
       S::Refused, 413, "request body is larger than 4096 bytes; the webhook does not accept it\n", "", "", true, false, 0, 0},
      {"a Content-Length past 64 bits",
       "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", S::Refused, 413,
       "request body is larger than 4096 bytes; the webhook does not accept it\n", "", "", true, false, 0, 0},
  };
  return cases;
}

struct ChunkedCase {
  std::string what;
  std::string input;
  ChunkedBody::Status status;
  std::string body;
  std::size_t consumed = 0;  // Done: what the body used of input; otherwise all of it
};

inline const std::vector<ChunkedCase>& chunkedCases() {
  using S = ChunkedBody::Status;
  static const std::vector<ChunkedCase> cases = {
      {"two chunks", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", S::Done, "hello world", 26},
      {"upper-case hex and an extension", "A;name=value\r\n0123456789\r\n0\r\n\r\n", S::Done, "0123456789", 31},
      {"trailers, ignored", "3\r\nabc\r\n0\r\nX-Checksum: 1\r\n\r\n", S::Done, "abc", 28},
      {"a pipelined request behind the body", "1\r\nx\r\n0\r\n\r\nGET / HTTP/1.1\r\n", S::Done, "x", 11},
      {"a body still arriving", "5\r\nhel", S::NeedMore, "hel", 0},
      {"a size line still arriving", "5;ext", S::NeedMore, "", 0},
      {"not a size", "z\r\n", S::Malformed, "", 0},
      {"no size digits", "\r\n", S::Malformed, "", 0},
      {"data longer than its size", "5\r\nhelloX\r\n", S::Malformed, "hello", 0},
      {"a bare line feed after the size", "5\nhello", S::Malformed, "", 0},
      {"a size past 64 bits", "fffffffffffffffff\r\n", S::Malformed, "", 0},
  };
  return cases;
}

}  // namespace sessiongate::webhook::testing
