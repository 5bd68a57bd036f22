#pragma once
// The checks on a parsed request head that run before its body is read, so that nothing a client declares
// makes the server read, inflate or buffer more than it allows. The API server sends plain JSON with a
// Content-Length and no Content-Encoding; anything else is refused here.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <utility>
#include <vector>

#include "webhook/server/metrics.h"

namespace sessiongate::webhook {

// Refusal is the answer to a request refused by the transport; the connection is closed after it, because
// what follows the refused part was not read.
struct Refusal {
  int status = 400;
  std::string message;
  RefusalReason reason = RefusalReason::BadRequest;
};

// BodyFraming is how a head that passed the checks frames its body.
struct BodyFraming {
  bool chunked = false;
  std::size_t contentLength = 0;
};

// checkRequestHead refuses a Content-Encoding other than identity (415: never inflated), a
// Transfer-Encoding other than chunked (501), chunked together with a Content-Length (400), more than
// one Content-Length or one that is not a number (400), and a Content-Length over maxBodyBytes (413,
// before any of the body is read). A chunked body is counted on the wire as it arrives (413 past
// maxBodyBytes, chunk framing included).
std::variant<BodyFraming, Refusal> checkRequestHead(
    const std::vector<std::pair<std::string, std::string>>& headers, std::size_t maxBodyBytes);

// BodyTooLargeMessage is the message of every 413.
std::string bodyTooLargeMessage(std::size_t maxBodyBytes);

}  // namespace sessiongate::webhook
