#pragma once
// The HTTP/1.1 request head parser of the event loop: exactly what the API server sends (a POST with a
// Content-Length, keep-alive, pipelined requests) and the few GETs of probes and Prometheus, and a clear
// refusal for everything else. It never reads past maxHeadBytes and holds no state between calls: the
// loop calls it again on its buffer when more bytes arrive.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "webhook/server/request_limits.h"

namespace sessiongate::webhook {

// HttpRequestHead is a parsed request line and its headers.
struct HttpRequestHead {
  std::string method;
  std::string target;  // as sent, e.g. /validate?timeout=10s
  std::string path;    // target without its query
  int minorVersion = 1;
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, values trimmed
  bool keepAlive = true;      // HTTP/1.1 without `Connection: close`, or HTTP/1.0 with keep-alive
  bool chunked = false;       // Transfer-Encoding: chunked
  std::size_t contentLength = 0;

  // header is the value of the first header of that name (any letter case), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
};

// HttpRequest is a complete request as the event loop hands it to the handler.
struct HttpRequest {
  HttpRequestHead head;
  std::string body;
  bool clientCertificateVerified = false;  // a client certificate was presented and verified
};

// HeadParse is the outcome of parsing the start of a buffer.
struct HeadParse {
  enum class Status { Incomplete, Complete, Refused };
  Status status = Status::Incomplete;
  std::size_t headBytes = 0;  // Complete: the bytes of the head, through the empty line
  HttpRequestHead head;       // Complete (and Refused when the request line was read)
  Refusal refusal;            // Refused
};

// parseRequestHead parses the request head at the start of buffer. Incomplete while the empty line that
// ends the head has not arrived within maxHeadBytes; Refused with the answer's status and message for a
// head over maxHeadBytes (431), a malformed request line or header (400), an HTTP version other than 1.x
// (505), or what request_limits refuses (415, 501, 400, 413 for a Content-Length over maxBodyBytes).
// searchFrom is where the previous, incomplete call on the same (grown) buffer stopped looking, so that a head
// arriving a byte at a time is scanned once, not once per byte.
HeadParse parseRequestHead(std::string_view buffer, std::size_t maxHeadBytes, std::size_t maxBodyBytes,
                           std::size_t searchFrom = 0);

}  // namespace sessiongate::webhook
