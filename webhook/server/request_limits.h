#pragma once
// The checks on a request head that run before its body is read (cpp-httplib's pre-routing hook), so that
// nothing a client declares makes the server read, inflate or buffer more than it allows. The API server
// sends plain JSON with a Content-Length and no Content-Encoding; anything else is refused here.
#include <httplib.h>

#include <cstddef>
#include <optional>
#include <string>

namespace sessiongate::webhook {

// Refusal is the answer to a request refused on its head; the connection is closed after it, because the
// body was not read.
struct Refusal {
  int status;
  std::string message;
};

// checkRequestHead refuses a Content-Encoding other than identity (415: cpp-httplib would inflate gzip and
// brotli without a bound), a Transfer-Encoding other than chunked (501), chunked together with a
// Content-Length (400), and a Content-Length that is not a number (400). A Content-Length over
// maxBodyBytes is left to cpp-httplib, which discards that body unread and answers 413; a chunked body is
// counted while it is read (DeadlineStream) and refused with 413 once its bytes on the wire pass
// maxBodyBytes.
std::optional<Refusal> checkRequestHead(const httplib::Headers& headers, std::size_t maxBodyBytes);

}  // namespace sessiongate::webhook
